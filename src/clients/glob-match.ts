/**
 * OpenSSH-style host pattern (`ip-10-0-*`, `web-?`): `*` any run of characters, `?` exactly one, the
 * whole name must match. Host names are case-insensitive.
 */
export function globMatch(pattern: string, name: string): boolean {
  const source = pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'is').test(name);
}
