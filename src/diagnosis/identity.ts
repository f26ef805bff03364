/** Shortest container-id prefix we accept as the same container (docker's short ids are 12). */
const MIN_ID_PREFIX = 12;

/** True when two container ids name the same container (one may be docker's 12-char short form). */
export function sameContainerId(a?: string, b?: string): boolean {
  if (!a || !b) return false;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x.length < MIN_ID_PREFIX || y.length < MIN_ID_PREFIX) return x === y;
  return x.startsWith(y) || y.startsWith(x);
}

/** Pod UIDs appear with dashes in the API and with underscores in systemd slice names. */
export function sameUid(a?: string, b?: string): boolean {
  return !!a && !!b && a.toLowerCase().replace(/_/g, '-') === b.toLowerCase().replace(/_/g, '-');
}

export function lastSegment(arn?: string): string | undefined {
  if (!arn) return undefined;
  return arn.split('/').pop();
}
