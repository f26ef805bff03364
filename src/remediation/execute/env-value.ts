import type { EnvEdit } from '../edit.js';
import { setFlags } from './set-flags.js';

/** The variable's new value: the flag set and conflicting flags taken out (other flags kept), or the whole value. */
export function envValue(edit: EnvEdit, current: string | undefined): string {
  if (edit.flag === undefined) return edit.value;
  const flags: Record<string, string | null> = {};
  for (const r of edit.remove ?? []) flags[r] = null;
  flags[edit.flag] = edit.value;
  return setFlags(current ?? '', flags);
}
