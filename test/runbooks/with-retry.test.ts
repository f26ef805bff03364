import { withRetry } from '../../src/runbooks/with-retry.js';
import { awsError, untilAborted } from './fake-sources.js';

const throttle = (): Error => awsError('ThrottlingException', 'Rate exceeded');

describe('withRetry', () => {
  test('full jitter: each wait is random × min(cap, base × 2^n)', async () => {
    const delays: number[] = [];
    let n = 0;
    const result = await withRetry(async () => { if (++n < 6) throw throttle(); return 'ok'; }, {
      signal: new AbortController().signal, baseMs: 100, capMs: 1000, random: () => 0.999, sleep: async (ms) => { delays.push(ms); },
    });
    expect(result).toBe('ok');
    expect(delays).toEqual([99, 199, 399, 799, 999]);
  });

  test('a random of 0 waits nothing (full jitter spans the whole range)', async () => {
    const delays: number[] = [];
    let n = 0;
    await withRetry(async () => { if (++n < 3) throw throttle(); }, { signal: new AbortController().signal, random: () => 0, sleep: async (ms) => { delays.push(ms); } });
    expect(delays).toEqual([0, 0]);
  });

  test('only throttling is retried', async () => {
    let n = 0;
    await expect(withRetry(async () => { n++; throw awsError('AccessDeniedException', 'no'); }, { signal: new AbortController().signal, sleep: async () => {} })).rejects.toThrow('no');
    expect(n).toBe(1);
  });

  test('gives up after maxAttempts with the throttling error', async () => {
    let n = 0;
    await expect(withRetry(async () => { n++; throw throttle(); }, { signal: new AbortController().signal, maxAttempts: 4, sleep: async () => {} })).rejects.toThrow('Rate exceeded');
    expect(n).toBe(4);
  });

  test('a wait cut by the signal throws the last throttling error, marked gaveUp', async () => {
    const ac = new AbortController();
    const sleep = (_ms: number, signal: AbortSignal): Promise<void> => {
      const waiting = untilAborted(signal);
      ac.abort(new DOMException('no answer within 5s', 'TimeoutError'));
      return waiting;
    };
    await expect(withRetry(async () => { throw throttle(); }, { signal: ac.signal, sleep })).rejects.toMatchObject({ name: 'ThrottlingException', gaveUp: true, attempts: 1 });
  });

  test('no attempt starts once the signal has aborted', async () => {
    const ac = new AbortController();
    ac.abort(new DOMException('late', 'TimeoutError'));
    let n = 0;
    await expect(withRetry(async () => { n++; }, { signal: ac.signal })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(n).toBe(0);
  });
});
