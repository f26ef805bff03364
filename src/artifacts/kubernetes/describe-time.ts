/**
 * A `kubectl describe` time (Go's RFC1123Z, `Tue, 14 May 2024 09:17:05 +0000`) as ISO-8601 in UTC;
 * undefined for Go's zero time (`Mon, 01 Jan 0001 ...`, printed for a container that never ran) or garbage.
 */
export function describeTime(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})$/.exec(text.trim());
  if (!m || m[3] === '0001') return undefined;
  const ms = Date.parse(`${m[2]} ${m[1]} ${m[3]} ${m[4]}:${m[5]}:${m[6]} GMT${m[7]}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z');
}
