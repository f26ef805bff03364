// `[Mon Nov 23 13:38:55 2026] …` as `LC_ALL=C TZ=UTC dmesg -T` prints it (util-linux; strftime "%a %b %e %H:%M:%S %Y").
const STAMP = /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\]/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// NOTE: dmesg -T adds the boot time to the kernel's monotonic stamps, which stop during suspend and drift on
// VMs (dmesg(1): "timestamp could be inaccurate"), so lines are kept a few minutes either side of the window.
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * The `dmesg -T` lines inside the window (with CLOCK_SLACK_MS), plus the last line before it, so the
 * artifact shows the log reaches back past the window's start. Lines without a stamp follow the line before.
 * Output with no parseable stamp at all (another format) is returned whole.
 */
export function dmesgInWindow(text: string, window: { since: Date; until: Date }): string {
  const from = window.since.getTime() - CLOCK_SLACK_MS;
  const to = window.until.getTime() + CLOCK_SLACK_MS;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const kept: string[] = [];
  let anchor: string | undefined;
  let keeping = false;
  let stamped = false;
  for (const line of lines) {
    const at = stampOf(line);
    if (at !== undefined) {
      stamped = true;
      if (at < from) { anchor = line; keeping = false; continue; }
      keeping = at <= to;
      if (keeping && anchor !== undefined) { kept.push(anchor); anchor = undefined; }
    }
    if (keeping) kept.push(line);
  }
  if (!stamped) return text;
  return kept.length > 0 ? `${kept.join('\n')}\n` : anchor !== undefined ? `${anchor}\n` : '';
}

function stampOf(line: string): number | undefined {
  const m = STAMP.exec(line);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[6]), MONTHS.indexOf(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(ms) ? undefined : ms;
}
