import { createHmac, timingSafeEqual } from 'node:crypto';

const V1 = /^v1=([0-9a-f]{64})$/i;

export interface SignatureCheck {
  ok: boolean;
  /** For the audit line when refused: what was wrong, without any signature or secret. */
  reason: string;
}

/**
 * Checks `X-PagerDuty-Signature` against the raw body: the header is a comma-separated list of
 * `v1=<hex HMAC-SHA256(secret, body)>` (several during PagerDuty's secret rotation), and `secrets` may hold
 * several too (ours during a rotation). Accepted when any signature matches any secret; every comparison
 * is constant-time and every pair is compared, so the time taken does not say which one matched.
 * NOTE: the HMAC is over the exact bytes received; re-serialised JSON would not match
 * (developer.pagerduty.com, Webhooks → Verifying Signatures).
 */
export function verifyPagerDutySignature(rawBody: Buffer, header: string | string[] | undefined, secrets: readonly string[]): SignatureCheck {
  if (secrets.length === 0) return { ok: false, reason: 'no signing secret configured' };
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '') return { ok: false, reason: 'X-PagerDuty-Signature missing' };
  const given = value.split(',').map((s) => V1.exec(s.trim())?.[1]).filter((s): s is string => s !== undefined)
    .map((hex) => Buffer.from(hex.toLowerCase(), 'hex'));
  if (given.length === 0) return { ok: false, reason: 'X-PagerDuty-Signature has no v1 signature' };
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    for (const g of given) ok = timingSafeEqual(expected, g) || ok;
  }
  return ok
    ? { ok, reason: 'signature matched' }
    : { ok, reason: `no v1 signature matched (${given.length} given, ${secrets.length} secret${secrets.length === 1 ? '' : 's'})` };
}
