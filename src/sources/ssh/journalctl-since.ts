// systemd.time(7) accepts `2026-11-23 13:38:09 UTC`; built from a Date, so only these characters can occur.
const SAFE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;

/** `journalctl -k --no-pager -o short-iso --since "…" --until "…"` for the window, times in a fixed UTC format built from Dates. */
export function journalctlSince(window: { since: Date; until: Date }): string {
  const since = stamp(window.since);
  const until = stamp(window.until);
  // short-iso prints the year and zone (`2026-11-23T13:38:09+0000 host kernel: …`); the default format prints neither.
  return `journalctl -k --no-pager -o short-iso --since "${since}" --until "${until}"`;
}

function stamp(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('journalctlSince: invalid date in the incident window');
  const s = `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  if (!SAFE_TIME.test(s)) throw new RangeError(`journalctlSince: ${s} is not a plain UTC time`);
  return s;
}
