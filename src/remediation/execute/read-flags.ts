import { flagOccurrences } from './flag-occurrences.js';

/** The value of each flag in a flags variable (the last one wins, as in Node and the JVM); null when absent. */
export function readFlags(current: string | undefined, flags: readonly string[]): Record<string, string | null> {
  const tokens = (current ?? '').split(/\s+/).filter((t) => t !== '');
  const out: Record<string, string | null> = {};
  for (const flag of flags) out[flag] = flagOccurrences(tokens, flag).at(-1)?.value ?? null;
  return out;
}
