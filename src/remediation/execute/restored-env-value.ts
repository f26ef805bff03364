import type { EnvState } from './env-state.js';
import { setFlags } from './set-flags.js';

/**
 * The value that puts a variable back as `before` recorded it: null when it did not exist (remove it); the
 * edited flags back at their old values in the current value (other flags as they are now); or the old value.
 */
export function restoredEnvValue(before: EnvState, current: string | undefined): string | null {
  if (!before.exists) return null;
  if (before.flags !== undefined) return setFlags(current ?? '', before.flags);
  return before.value ?? '';
}
