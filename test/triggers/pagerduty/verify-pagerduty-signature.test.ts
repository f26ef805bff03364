import { verifyPagerDutySignature } from '../../../src/triggers/pagerduty/verify-pagerduty-signature.js';
import { signPagerDuty, webhookFixture } from '../../helpers/pagerduty-webhooks.js';

const body = Buffer.from(webhookFixture('webhook-alertmanager-kubepodcrashlooping.json'));
const A = 'whsec-current-0123456789';
const B = 'whsec-previous-abcdefghij';

describe('X-PagerDuty-Signature', () => {
  test.each([
    ['one v1 signature with our secret', signPagerDuty(body, A), [A], true],
    ['two signatures (PagerDuty rotating its secret), the second ours', signPagerDuty(body, B, A), [A], true],
    ['our rotation: two secrets, signed with the old one', signPagerDuty(body, B), [A, B], true],
    ['both rotations at once', signPagerDuty(body, 'x', B), [A, B], true],
    ['upper-case hex', signPagerDuty(body, A).toUpperCase().replace('V1=', 'v1='), [A], true],
    ['spaces after the commas', signPagerDuty(body, 'x', A).replace(',', ', '), [A], true],
    ['signed with another secret', signPagerDuty(body, 'not-ours'), [A, B], false],
    ['a v0 signature only', signPagerDuty(body, A).replace('v1=', 'v0='), [A], false],
    ['a truncated signature', signPagerDuty(body, A).slice(0, 40), [A], false],
    ['no secret configured', signPagerDuty(body, A), [], false],
  ])('%s', (_name, header, secrets, ok) => {
    expect(verifyPagerDutySignature(body, header, secrets).ok).toBe(ok);
  });

  test('missing or empty header: refused with a reason that carries no signature', () => {
    expect(verifyPagerDutySignature(body, undefined, [A])).toEqual({ ok: false, reason: 'X-PagerDuty-Signature missing' });
    expect(verifyPagerDutySignature(body, '', [A])).toEqual({ ok: false, reason: 'X-PagerDuty-Signature missing' });
    const forged = verifyPagerDutySignature(body, `v1=${'0'.repeat(64)}`, [A, B]);
    expect(forged).toEqual({ ok: false, reason: 'no v1 signature matched (1 given, 2 secrets)' });
  });

  test('the HMAC is over the raw bytes: the same JSON re-serialised does not verify', () => {
    const header = signPagerDuty(body, A);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(reserialised.equals(body)).toBe(false);
    expect(verifyPagerDutySignature(reserialised, header, [A]).ok).toBe(false);
  });

  test('UTF-8 bodies are signed as bytes', () => {
    const unicode = Buffer.from('{"event":{"id":"x","event_type":"incident.triggered","data":{"title":"Pod shop/web — OOMKilled ✗"}}}', 'utf8');
    expect(verifyPagerDutySignature(unicode, signPagerDuty(unicode, A), [A]).ok).toBe(true);
  });
});
