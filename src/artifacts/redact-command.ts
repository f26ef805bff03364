// Values shorter than this are too common ("true", "1", "info") to be worth hiding or to identify a secret.
const MIN_SECRET_LENGTH = 6;
// `PASSWORD=...`, `--token=...`, `--api-key x`: inline credentials in a shell command.
const INLINE = /((?:^|[\s'"])(?:--?)?[\w.-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key|credential|auth)[\w.-]*(?:=|\s+))("[^"]*"|'[^']*'|[^\s'"]+)/gi;

/**
 * A container command safe to show: every env value that appears in it (a value copied into a
 * `sh -c` line) and inline `PASSWORD=`/`--token` style values become `***`. Env values are secrets.
 */
export function redactCommand(command: string[], env: { name: string; value?: string | undefined }[]): string[] {
  const values = env.map((e) => e.value).filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return command.map((arg) => {
    let out = arg;
    for (const v of values) out = out.split(v).join('***');
    return out.replace(INLINE, '$1***');
  });
}
