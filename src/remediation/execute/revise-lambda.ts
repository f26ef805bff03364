import type { Edit } from '../edit.js';
import { LAMBDA_MAX_MB, LAMBDA_MIN_MB, MIB } from '../plan/sizing.js';
import { invalidValue } from './invalid-value.js';
import { resizedEnv } from './resized-env.js';

type LambdaEdit = Extract<Edit, { platform: 'lambda' }>;

/** Re-sizes a Lambda edit to a typed MemorySize in MB (`1536`, `1536 MB`), 128 to 10,240; runtime ceilings follow. */
export function reviseLambda(edit: LambdaEdit, typed: string): LambdaEdit {
  if (edit.memorySizeMb === undefined) throw invalidValue(typed, 'nothing: this proposal sets a runtime flag, not a size, so it cannot be re-sized');
  const m = /^\s*(\d+)\s*(?:mb|mib)?\s*$/i.exec(typed);
  const mb = m ? Number(m[1]) : Number.NaN;
  if (!Number.isInteger(mb) || mb < LAMBDA_MIN_MB || mb > LAMBDA_MAX_MB) {
    throw invalidValue(typed, `a whole number of MB from ${LAMBDA_MIN_MB} to ${LAMBDA_MAX_MB}, such as 1536`);
  }
  const out: LambdaEdit = { ...edit, memorySizeMb: mb };
  const env = resizedEnv(edit.env, mb * MIB);
  if (env !== undefined) out.env = env;
  return out;
}
