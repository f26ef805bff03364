import type { Evidence } from './evidence.js';
import type { Verdict } from './verdict.js';
import type { Case } from './case.js';
import { buildCase, hardLimit, targetName } from './build-case.js';
import { causeRules } from './rules/index.js';
import { factorRules } from './factors/index.js';
import { nextSteps } from './next-steps.js';
import { fact } from './fact.js';
import { capitalize } from './capitalize.js';

const MIB = 1024 * 1024;

/** The decision tree: evidence in, exactly one cause with its factors, confidence and cited evidence out. Pure. */
export function diagnose(evidence: Evidence[]): Verdict {
  const c = buildCase(evidence);
  const found = causeRules.reduce<ReturnType<(typeof causeRules)[number]>>((acc, rule) => acc ?? rule(c), null);
  const finding = found ?? unknownFinding(c);
  const factors = factorRules.map((rule) => rule(c, finding.code)).filter((f): f is NonNullable<typeof f> => f !== null);
  const next = [...(finding.next ?? [])];
  if (finding.code === 'unknown' || finding.confidence !== 'high') {
    for (const step of nextSteps(c)) if (!next.some((n) => n.command === step.command)) next.push(step);
  }
  const limit = hardLimit(c)?.memoryLimitBytes ?? (c.lambdaConfig?.memorySizeMb ? c.lambdaConfig.memorySizeMb * MIB : undefined);
  const peak = peakBytes(c);
  const verdict: Verdict = {
    cause: finding.code,
    confidence: finding.confidence,
    summary: finding.summary,
    evidence: finding.evidence,
    factors,
    next,
    setAside: c.setAside,
    unavailable: c.unavailable.map((u) => ({ source: u.source, detail: u.detail, missing: u.missing })),
    target: { ...c.target, platform: c.platform },
  };
  if (c.judged?.exitCode !== undefined) verdict.exitCode = c.judged.exitCode;
  if (peak !== undefined) verdict.peakBytes = peak;
  if (limit) verdict.limitBytes = limit;
  return verdict;
}

function unknownFinding(c: Case): NonNullable<ReturnType<(typeof causeRules)[number]>> {
  if (!c.judged && c.all.length === 0) {
    return { code: 'unknown', confidence: 'low', evidence: [], summary: 'No evidence was given.' };
  }
  if (c.platform === 'lambda' && !c.judged) {
    const peak = c.invocations.reduce<typeof c.invocations[number] | undefined>((a, b) => (b.maxMemoryUsedMb !== undefined && (a?.maxMemoryUsedMb === undefined || b.maxMemoryUsedMb > a.maxMemoryUsedMb) ? b : a), undefined);
    return {
      code: 'unknown', confidence: 'medium',
      evidence: peak ? [fact(peak, `peak Max Memory Used ${peak.maxMemoryUsedMb} MB of ${peak.memorySizeMb ?? '?'} MB across ${c.invocations.length} invocations`)] : [],
      summary: `${capitalize(targetName(c))} shows no killed invocation here${peak ? ` (${c.invocations.length} invocations, peak ${peak.maxMemoryUsedMb} of ${peak.memorySizeMb ?? '?'} MB)` : ''}: no "signal: killed", exit status 137 or Runtime.OutOfMemory. Widen the window to the failing invocation.`,
    };
  }
  if (c.judged?.exitCode === 137) {
    return {
      code: 'unknown', confidence: 'low',
      evidence: [fact(c.judged, `exit code 137: SIGKILL${c.judged.oomKilled === false ? ', OOMKilled false' : ''}`)],
      summary: `${capitalize(targetName(c))} was SIGKILLed (exit 137), but nothing here says who sent it: no OOM flag, no hard limit to rule memory out, no kernel log covering the exit, no stop or probe events. OOMKilled false does not mean "not memory" (the host's OOM killer does not set it). Fetch the evidence below.`,
    };
  }
  return {
    code: 'unknown', confidence: 'low', evidence: c.judged ? [fact(c.judged, `state ${c.judged.status ?? 'unknown'}${c.judged.exitCode !== undefined ? `, exit code ${c.judged.exitCode}` : ''}`)] : [],
    summary: c.judged ? `${capitalize(targetName(c))} shows no kill in this evidence.` : `The evidence shows no container, pod, task or function that died: nothing to judge yet.`,
  };
}

/** The highest memory figure any evidence shows for the target, in bytes. */
function peakBytes(c: Case): number | undefined {
  const figures: number[] = [];
  for (const o of c.kernelOoms) {
    if (o.cgroupUsageKb !== undefined) figures.push(o.cgroupUsageKb * 1024);
    const rss = (o.anonRssKb ?? 0) + (o.fileRssKb ?? 0) + (o.shmemRssKb ?? 0);
    if (rss > 0) figures.push(rss * 1024);
  }
  for (const s of c.samples) figures.push(s.usedBytes);
  for (const i of c.invocations) if (i.maxMemoryUsedMb !== undefined) figures.push(i.maxMemoryUsedMb * MIB);
  return figures.length > 0 ? Math.max(...figures) : undefined;
}
