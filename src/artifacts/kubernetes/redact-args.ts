// A flag whose value is a credential: `--password=x`, `--db-token x`, `-Dapi.key=x`, `--aws-secret-access-key`.
const SECRET_FLAG = /(?:pass(?:word|wd)?|secret|token|api[-_.]?key|private[-_.]?key|access[-_.]?key|credential|auth)/i;

/**
 * Command/args with credential-looking values replaced by `<redacted>`, so a command line can be cited.
 * Memory flags (`-Xmx512m`, `--max-old-space-size=400`) never match and stay as they are.
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let redactNext = false;
  for (const arg of args) {
    if (redactNext && !arg.startsWith('-')) { out.push('<redacted>'); redactNext = false; continue; }
    redactNext = false;
    const eq = /^(-{1,2}[^=\s]+|-D[^=\s]+|[A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(arg);
    if (eq && SECRET_FLAG.test(eq[1]!)) { out.push(`${eq[1]}=<redacted>`); continue; }
    if (/^-{1,2}[A-Za-z]/.test(arg) && !arg.includes('=') && SECRET_FLAG.test(arg)) redactNext = true;
    // A URL with a password in it: scheme://user:pass@host.
    out.push(arg.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1<redacted>@'));
  }
  return out;
}
