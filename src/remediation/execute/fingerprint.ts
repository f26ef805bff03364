import { createHash } from 'node:crypto';

/**
 * A stable hash of the state an edit depends on: the same values give the same fingerprint whatever the key
 * order, so a snapshot taken when a proposal was made can be compared with one taken at approval.
 */
export function fingerprint(state: unknown): string {
  return createHash('sha256').update(stable(state)).digest('hex').slice(0, 32);
}

function stable(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
}
