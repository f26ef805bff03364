import type { Edit } from '../edit.js';
import { MIB, kubernetesQuantity } from '../plan/sizing.js';
import { invalidValue } from './invalid-value.js';
import { parseKubernetesQuantity } from './parse-kubernetes-quantity.js';
import { parseSeconds } from './parse-seconds.js';
import { resizedEnv } from './resized-env.js';

type KubernetesEdit = Extract<Edit, { platform: 'kubernetes' }>;

// Below a few MiB no runtime starts: the container is OOM-killed before it serves anything.
const MIN_BYTES = 4 * MIB;
const EXPECTED = 'a Kubernetes memory quantity of at least 4Mi, such as 1536Mi or 2Gi';

/**
 * Re-sizes a Kubernetes edit to a typed quantity: limits (and requests, when the edit sets both, so they stay
 * equal) become it, written as `1536Mi`/`2Gi`, and the runtime ceilings it carries follow. A grace-period edit
 * takes whole seconds instead.
 */
export function reviseKubernetes(edit: KubernetesEdit, typed: string): KubernetesEdit {
  if (edit.limitsMemory === undefined && edit.requestsMemory === undefined) {
    if (edit.terminationGracePeriodSeconds !== undefined) return { ...edit, terminationGracePeriodSeconds: parseSeconds(typed) };
    throw invalidValue(typed, 'nothing: this proposal sets a runtime flag, not a size, so it cannot be re-sized');
  }
  const milli = /^\s*(\d+(?:\.\d+)?)m\s*$/.exec(typed);
  if (milli) throw invalidValue(typed, `${EXPECTED} (a lower-case m is millibytes in Kubernetes: ${milli[1]}Mi is MiB)`);
  const bytes = parseKubernetesQuantity(typed);
  if (bytes === null || bytes < MIN_BYTES) throw invalidValue(typed, EXPECTED);
  // Whole MiB are written as the planner writes them (1536Mi, 2Gi); anything else as typed (2G), which the API takes.
  const quantity = bytes % MIB === 0 ? kubernetesQuantity(bytes) : typed.trim();
  const out: KubernetesEdit = { ...edit };
  if (edit.limitsMemory !== undefined) out.limitsMemory = quantity;
  if (edit.requestsMemory !== undefined) out.requestsMemory = quantity;
  const env = resizedEnv(edit.env, bytes);
  if (env !== undefined) out.env = env;
  return out;
}
