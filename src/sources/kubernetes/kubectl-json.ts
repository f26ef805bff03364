/**
 * An object as `kubectl get -o json` prints it: Go's json.MarshalIndent of an unstructured object, so keys
 * sorted at every level, a four-space indent, `<`, `>`, `&`, U+2028 and U+2029 escaped, and a final newline.
 */
export function kubectlJson(value: unknown): string {
  // These characters occur only inside JSON strings, so escaping them everywhere is escaping them in strings.
  const text = JSON.stringify(sortKeys(value), null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
