/**
 * What the AWS CLI (v2, `--output json`) prints for an SDK v3 response: the response without `$metadata`,
 * timestamps as the CLI's ISO-8601 (`2024-05-01T09:41:58.211000+00:00`), indented by four spaces. The
 * artifact parsers read this exactly as they read a saved `aws ... > file.json`.
 */
export function cliJson(output: object): string {
  const { $metadata: _metadata, ...rest } = output as Record<string, unknown>;
  return `${JSON.stringify(toCli(rest), null, 4)}\n`;
}

function toCli(value: unknown): unknown {
  if (value instanceof Date) return cliTimestamp(value);
  if (Array.isArray(value)) return value.map(toCli);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toCli(v)]));
  }
  return value;
}

// NOTE: the CLI prints Python's datetime.isoformat(): microseconds when there are any, and `+00:00`, not `Z`.
function cliTimestamp(d: Date): string {
  const iso = d.toISOString();
  const ms = d.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms === 0 ? '' : `.${String(ms).padStart(3, '0')}000`}+00:00`;
}
