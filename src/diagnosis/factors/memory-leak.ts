import type { FactorRule } from '../rule.js';
import type { Case } from '../case.js';
import { fact } from '../fact.js';
import type { Evidence } from '../evidence.js';

// Fewer points than this cannot tell growth from warm-up.
const LEAK_MIN_POINTS = 4;
// First-to-last growth that counts as a leak rather than noise.
const LEAK_MIN_GROWTH = 0.15;
// A step down smaller than this (of the previous value) is measurement noise, not a release.
const NOISE_DROP = 0.01;
// A plateau stops growing: the second half must still rise by this much for a leak.
const LATE_GROWTH = 0.03;

interface Point { used: number; e: Evidence }

/**
 * Memory grows monotonically across warm invocations or uptime instead of plateauing. Lambda series are
 * split at each cold start (a REPORT with Init Duration starts a new sandbox).
 */
export const memoryLeak: FactorRule = (c) => {
  for (const series of seriesOf(c)) {
    if (series.length < LEAK_MIN_POINTS) continue;
    const first = series[0]!.used;
    const last = series[series.length - 1]!.used;
    const mid = series[Math.floor(series.length / 2)]!.used;
    const monotonic = series.every((p, i) => i === 0 || p.used >= series[i - 1]!.used * (1 - NOISE_DROP));
    if (!monotonic || first <= 0 || (last - first) / first < LEAK_MIN_GROWTH || (last - mid) / mid < LATE_GROWTH) continue;
    const unit = (n: number) => `${Math.round(n / 1e6) === n / 1e6 ? n / 1e6 : (n / 1048576).toFixed(0)} MB`;
    return {
      code: 'memory_leak', confidence: series.length >= 2 * LEAK_MIN_POINTS ? 'high' : 'medium',
      evidence: [fact(series[0]!.e, `usage starts at ${unit(first)}`), fact(series[series.length - 1]!.e, `and climbs without falling to ${unit(last)} over ${series.length} samples`)],
      summary: `Memory grows steadily (${unit(first)} → ${unit(last)} over ${series.length} ${c.platform === 'lambda' ? 'warm invocations' : 'samples'}) instead of levelling off: a leak. A bigger limit only delays the next kill; find what is retained.`,
    };
  }
  return null;
};

function seriesOf(c: Case): Point[][] {
  const out: Point[][] = [];
  if (c.invocations.length > 0) {
    let cur: Point[] = [];
    for (const i of c.invocations) {
      if (i.maxMemoryUsedMb === undefined) continue;
      if (i.initDurationMs !== undefined && cur.length > 0) { out.push(cur); cur = []; }
      cur.push({ used: i.maxMemoryUsedMb * 1048576, e: i });
    }
    out.push(cur);
    return out;
  }
  const byMetric = new Map<string, Point[]>();
  for (const s of c.samples) {
    const list = byMetric.get(s.metric) ?? [];
    list.push({ used: s.usedBytes, e: s });
    byMetric.set(s.metric, list);
  }
  return [...byMetric.values()];
}
