import type { Edit } from '../edit.js';
import { MIB } from '../plan/sizing.js';
import { invalidValue } from './invalid-value.js';
import { parseDockerSize } from './parse-docker-size.js';

type DockerEdit = Extract<Edit, { platform: 'docker' }>;

// NOTE: dockerd refuses smaller limits: "Minimum memory limit allowed is 6MB" (seen on Engine 20.10).
const MIN_BYTES = 6 * MIB;

/** Re-sizes a Docker edit to a typed size (`96m`, `1g`, `1536M`): memory and memory-swap both (no swap). */
export function reviseDocker(edit: DockerEdit, typed: string): DockerEdit {
  if (edit.memoryBytes === undefined) throw invalidValue(typed, 'nothing: this proposal changes no memory size');
  const bytes = parseDockerSize(typed);
  if (bytes === null || bytes < MIN_BYTES) throw invalidValue(typed, 'a docker memory size of at least 6m, such as 96m, 1536m or 2g');
  return { ...edit, memoryBytes: bytes, memorySwapBytes: bytes };
}
