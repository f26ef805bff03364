/** Where one flag sits in a whitespace-split flags variable: its tokens and its value ('' for a bare flag). */
export interface FlagOccurrence {
  index: number;
  /** 1, or 2 for the space form `--max-old-space-size 900`. */
  length: number;
  value: string;
}

// JVM -X options take their value glued on (-Xmx1g, -Xss512k); -XX: options and Node flags use `=`.
const GLUED = /^-X[a-z]+$/;

/**
 * Every occurrence of `flag` among `tokens`: `--flag=v`, `--flag v` (Node reads both, and `_` for `-` in
 * V8 flag names), `-Xmx1g`, `-XX:Name=v`, and bare flags such as `-XX:-UseContainerSupport`.
 */
export function flagOccurrences(tokens: readonly string[], flag: string): FlagOccurrence[] {
  const out: FlagOccurrence[] = [];
  const name = normalise(flag);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const t = normalise(token);
    if (GLUED.test(flag) && token.startsWith(flag) && /^[0-9]/.test(token.slice(flag.length))) {
      out.push({ index: i, length: 1, value: token.slice(flag.length) });
    } else if (t.startsWith(`${name}=`)) {
      out.push({ index: i, length: 1, value: token.slice(flag.length + 1) });
    } else if (t === name) {
      const next = tokens[i + 1];
      if (flag.startsWith('--') && next !== undefined && /^[0-9]/.test(next)) {
        out.push({ index: i, length: 2, value: next });
        i++;
      } else {
        out.push({ index: i, length: 1, value: '' });
      }
    }
  }
  return out;
}

/** V8 accepts `_` for `-` inside `--` flag names; JVM names are exact. */
function normalise(s: string): string {
  if (!s.startsWith('--')) return s;
  const eq = s.indexOf('=');
  return eq < 0 ? s.replace(/_/g, '-') : `${s.slice(0, eq).replace(/_/g, '-')}${s.slice(eq)}`;
}
