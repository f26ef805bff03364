/**
 * Normalises the times AWS tools print to ISO-8601 UTC: CLI v1 epoch seconds (`1714557600.123`),
 * CloudWatch epoch milliseconds, CLI v2 ISO with an offset (`2024-05-01T10:00:00.123000+00:00`),
 * Lambda's `+0000` offsets, Logs Insights' zone-less UTC (`2024-05-01 10:00:00.000`) and
 * nanosecond stamps (`docker logs -t`). Returns undefined for anything else.
 */
const CANONICAL = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

export function awsTime(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  // Already canonical (Lambda's own line stamps, JSON log records): nothing to convert.
  if (CANONICAL.test(s)) return s;
  if (/^\d+(?:\.\d+)?$/.test(s)) return fromEpoch(Number(s));
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return undefined;
  const clock = m[2]!.length === 5 ? `${m[2]}:00` : m[2]!;
  // JavaScript dates keep milliseconds; CLI v2 prints microseconds, docker nanoseconds.
  const frac = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  let zone = m[4] ?? 'Z';
  if (/^utc$/i.test(zone)) zone = 'Z';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const d = new Date(`${m[1]}T${clock}.${frac}${zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function fromEpoch(n: number): string | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // Seconds (CLI v1, EventBridge), milliseconds (CloudWatch events), microseconds: told apart by magnitude.
  const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n / 1000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
