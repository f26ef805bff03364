import type { EnvEdit } from '../edit.js';
import { readFlags } from './read-flags.js';

/**
 * What an env edit depends on in one variable, for a snapshot and the audit: whether it exists and, for a
 * flag edit, only the flags edited (set and removed), never the rest of the value; for a value edit, the value.
 */
export interface EnvState {
  exists: boolean;
  flags?: Record<string, string | null>;
  value?: string | null;
}

export function envState(edit: EnvEdit, current: string | undefined): EnvState {
  if (edit.flag === undefined) return { exists: current !== undefined, value: current ?? null };
  return { exists: current !== undefined, flags: readFlags(current, [edit.flag, ...(edit.remove ?? [])]) };
}
