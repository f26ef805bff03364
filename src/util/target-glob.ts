/**
 * Matches a normalised target string against an approver glob: `*` is any run of characters inside one
 * /-separated segment, `?` one character, `**` anything including `/`. The whole string must match, so
 * `k8s:prod-*` covers no pod (a pod needs namespace/pod) and `k8s:prod-*` + `/**` covers them all.
 */
export function targetGlob(pattern: string, target: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') { source += '.*'; i++; continue; }
    source += ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's').test(target);
}
