/** Longest step timeout a runbook may ask for: a diagnosis is interactive (Slack waits on it). */
const MAX_MS = 10 * 60_000;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** `500ms`, `5s`, `1.5s`, `2m` → milliseconds; null when malformed, zero or above 10 minutes. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!m) return null;
  const ms = Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
  return ms > 0 && ms <= MAX_MS ? ms : null;
}
