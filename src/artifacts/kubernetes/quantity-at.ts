import { ArtifactInvalidError } from '../../errors/artifact-invalid-error.js';
import { parseQuantity } from '../../util/parse-quantity.js';

/**
 * A resource quantity in bytes (memory) or cores (cpu); undefined when absent. A quantity Kubernetes itself
 * would reject (`512MB`) makes the artifact invalid rather than silently limitless.
 */
export function quantityAt(value: unknown, file: string, expected: string, at: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = parseQuantity(value);
  if (n === undefined) throw new ArtifactInvalidError(file, expected, `${at} is ${JSON.stringify(value)}, not a Kubernetes quantity`);
  return n;
}
