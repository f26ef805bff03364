import { readFileSync } from 'node:fs';
import { dmesgInWindow } from '../../src/sources/ssh/dmesg-in-window.js';
import { journalctlSince } from '../../src/sources/ssh/journalctl-since.js';
import { fixturePath } from '../helpers/fixture-path.js';

const LOG = [
  '[Tue Nov  3 09:00:00 2026] early boot line',
  '[Tue Nov  3 09:50:00 2026] last line before the window',
  '[Tue Nov  3 10:10:00 2026] in the window',
  'a continuation without a stamp',
  '[Tue Nov  3 10:20:00 2026] still in',
  '[Tue Nov  3 11:30:00 2026] long after',
  'its continuation',
  '',
].join('\n');
const window = { since: new Date('2026-11-03T10:00:00Z'), until: new Date('2026-11-03T10:30:00Z') };

describe('dmesgInWindow', () => {
  test('keeps the window (days padded as %e prints them), the line before it, and unstamped lines with their line', () => {
    expect(dmesgInWindow(LOG, window)).toBe([
      '[Tue Nov  3 09:50:00 2026] last line before the window',
      '[Tue Nov  3 10:10:00 2026] in the window',
      'a continuation without a stamp',
      '[Tue Nov  3 10:20:00 2026] still in',
      '',
    ].join('\n'));
  });

  test('five minutes of slack either side for dmesg -T clock drift', () => {
    const text = '[Tue Nov  3 09:56:00 2026] 4 min early\n[Tue Nov  3 10:34:00 2026] 4 min late\n[Tue Nov  3 10:36:00 2026] 6 min late\n';
    expect(dmesgInWindow(text, window)).toBe('[Tue Nov  3 09:56:00 2026] 4 min early\n[Tue Nov  3 10:34:00 2026] 4 min late\n');
  });

  test('the recorded dmesg -T of a Docker OOM kill survives whole when the window covers it', () => {
    const text = readFileSync(fixturePath('kernel', 'recorded-dmesg-T-docker-oom-cgroupv1-kernel6.18.txt'), 'utf8');
    expect(dmesgInWindow(text, { since: new Date('2026-11-23T13:30:00Z'), until: new Date('2026-11-23T13:45:00Z') })).toBe(text);
  });

  test('output without wall-clock stamps (plain dmesg) is returned whole: it cannot be placed in time', () => {
    const text = '[ 1234.567890] Memory cgroup out of memory: Killed process 1 (sh)\n';
    expect(dmesgInWindow(text, window)).toBe(text);
  });
});

describe('journalctlSince', () => {
  test('a fixed command with plain UTC times, whatever the Date', () => {
    expect(journalctlSince({ since: new Date('2026-11-03T10:00:00.999Z'), until: new Date(Date.UTC(2026, 10, 3, 10, 30)) }))
      .toBe('journalctl -k --no-pager -o short-iso --since "2026-11-03 10:00:00 UTC" --until "2026-11-03 10:30:00 UTC"');
    expect(() => journalctlSince({ since: new Date(NaN), until: new Date() })).toThrow(RangeError);
  });
});
