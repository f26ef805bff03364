import type { CauseRule } from '../rule.js';
import { fact } from '../fact.js';
import type { CitedFact } from '../verdict.js';
import type { LambdaInvocationEvidence } from '../evidence.js';
import { reportQueryCommand } from '../report-query-command.js';

// Max Memory Used this close to Memory Size means the sandbox hit its ceiling (REPORT rounds to whole MB).
const AT_LIMIT_RATIO = 0.95;

/** A Lambda invocation exceeded its configured memory: the sandbox was SIGKILLed or reported Runtime.OutOfMemory. */
export const lambdaOom: CauseRule = (c) => {
  if (c.platform !== 'lambda') return null;
  const kills = c.lambdaErrors.filter((e) => e.signal === 'killed' || e.exitStatus === 137 || e.errorType === 'Runtime.OutOfMemory');
  const oomReports = c.invocations.filter((i) => i.errorType === 'Runtime.OutOfMemory');
  const atLimit = (i: LambdaInvocationEvidence) => i.maxMemoryUsedMb !== undefined && i.memorySizeMb !== undefined && i.maxMemoryUsedMb >= i.memorySizeMb * AT_LIMIT_RATIO;
  const failedAtLimit = c.invocations.filter((i) => atLimit(i) && (i.status === 'error' || i.status === 'timeout' || kills.some((k) => k.requestId && k.requestId === i.requestId)));
  if (kills.length === 0 && oomReports.length === 0 && failedAtLimit.length === 0) return null;

  const cites: CitedFact[] = [];
  for (const k of kills.slice(0, 3)) cites.push(fact(k, `the runtime was killed: ${k.message}`));
  for (const r of [...oomReports, ...failedAtLimit].slice(0, 3)) {
    cites.push(fact(r, `REPORT${r.requestId ? ` ${r.requestId}` : ''}: Max Memory Used ${r.maxMemoryUsedMb ?? '?'} MB of Memory Size ${r.memorySizeMb ?? '?'} MB${r.errorType ? `, ${r.errorType}` : ''}`));
  }
  const killedIds = new Set(kills.map((k) => k.requestId).filter(Boolean));
  const report = c.invocations.find((i) => i.requestId && killedIds.has(i.requestId)) ?? oomReports[0] ?? failedAtLimit[0];
  const size = report?.memorySizeMb ?? c.lambdaConfig?.memorySizeMb;
  const fn = c.target.functionName ?? c.lambdaConfig?.functionName;
  const lambda = fn ? `Lambda ${fn}` : 'The Lambda function';
  if (report && (atLimit(report) || report.errorType === 'Runtime.OutOfMemory')) {
    return {
      code: 'lambda_oom', confidence: 'high', evidence: cites,
      summary: `${lambda} ran out of memory: it used ${report.maxMemoryUsedMb ?? size} MB of its ${size} MB and the sandbox was killed. Raise MemorySize (or cut what one invocation holds).`,
    };
  }
  if (report && !atLimit(report) && report.maxMemoryUsedMb !== undefined) {
    cites.push(fact(report, `the killed invocation's REPORT shows ${report.maxMemoryUsedMb} MB used of ${report.memorySizeMb} MB`));
    return {
      code: 'lambda_oom', confidence: 'medium', evidence: cites,
      summary: `${lambda}'s runtime was killed (${kills[0]?.message ?? 'SIGKILL'}), but REPORT shows ${report.maxMemoryUsedMb} of ${report.memorySizeMb} MB: a short spike between samples is the likeliest reason. Raise MemorySize and watch Max Memory Used.`,
    };
  }
  return {
    code: 'lambda_oom', confidence: 'medium', evidence: cites,
    summary: `${lambda}'s runtime was killed (${kills[0]?.message ?? 'SIGKILL'}) with no REPORT line for that request, which is how a sandbox that runs out of memory usually ends${size ? ` (Memory Size ${size} MB)` : ''}. Fetch the REPORT lines to confirm, then raise MemorySize.`,
    next: [{
      why: 'REPORT lines give Max Memory Used for the killed invocations',
      command: reportQueryCommand(fn),
    }],
  };
};
