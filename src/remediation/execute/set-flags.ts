import { flagOccurrences } from './flag-occurrences.js';
import { flagToken } from './flag-token.js';

/**
 * A flags variable (NODE_OPTIONS, JAVA_TOOL_OPTIONS) with some flags set and others taken out (null), every
 * other flag kept in its place. A flag already there is replaced where it stood; a new one goes first.
 */
export function setFlags(current: string, flags: Readonly<Record<string, string | null>>): string {
  let tokens = current.split(/\s+/).filter((t) => t !== '');
  const prepend: string[] = [];
  for (const [flag, value] of Object.entries(flags)) {
    const found = flagOccurrences(tokens, flag);
    const drop = new Set<number>();
    for (const o of found) for (let k = 0; k < o.length; k++) drop.add(o.index + k);
    const first = found[0];
    const next: string[] = [];
    tokens.forEach((t, i) => {
      if (value !== null && first !== undefined && i === first.index) next.push(flagToken(flag, value));
      if (!drop.has(i)) next.push(t);
    });
    if (value !== null && first === undefined) prepend.push(flagToken(flag, value));
    tokens = next;
  }
  return [...prepend, ...tokens].join(' ');
}
