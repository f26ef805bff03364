import type { Evidence, LambdaInvocationEvidence, LogCoverageEvidence, MemorySampleEvidence, Subject } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import type { StructuredParser } from './artifact-parser.js';
import { awsTime } from './aws-time.js';
import { defined } from './defined.js';
import { LambdaLine } from './lambda-line.js';
import { runtimeOomMessage } from './runtime-oom-message.js';

const EXPECTED = '`aws logs get-query-results` JSON';
// NOTE: Logs Insights' @maxMemoryUsed and @memorySize are bytes counted in decimal megabytes: a 1024 MB
// function shows @memorySize 1,024,000,000. So MB = value / 1,000,000 (not / 2^20), and the MB are Lambda's
// (MiB), which is how memory.sample turns them into bytes, same as a REPORT line's.
const INSIGHTS_BYTES_PER_MB = 1_000_000;
const MIB = 1024 * 1024;
// awslogs stream names: <prefix>/<container name>/<task id>.
const ECS_STREAM = /^[\w.-]+\/([\w.-]+)\/([0-9a-f]{32})$/;
// Lambda platform lines, whatever log group they were written to (LoggingConfig.LogGroup can be any group).
const LAMBDA_MESSAGE = /\b(?:START|END|REPORT) RequestId:|RequestId: \S+ Error: Runtime exited|\bINIT_(?:START|REPORT)\b|Task timed out after|"type"\s*:\s*"platform\./;

type Obj = Record<string, unknown>;

/**
 * `aws logs get-query-results` output: one row per matched log event, fields as `{field, value}` pairs.
 * Lambda rows (REPORT fields, or an @message that is a REPORT/error/OOM line) go through the same line
 * matcher as lambda.log; rows from other log groups (ECS awslogs) yield runtime OOM messages.
 */
export const logsInsights = {
  format: 'structured',
  kind: 'logs.insights',
  expected: EXPECTED,
  detect(doc: unknown): boolean {
    if (!isObj(doc) || !Array.isArray(doc.results)) return false;
    return doc.results.length === 0 ? 'status' in doc || 'statistics' in doc : Array.isArray(doc.results[0]);
  },
  parse(doc: unknown, file: string): Evidence[] {
    const root = doc as Obj;
    const results = root.results as unknown[];
    const rows: { time?: string; evidence: Evidence[]; lambda: boolean }[] = [];
    let firstTime: string | undefined;
    let lastTime: string | undefined;
    const functions = new Set<string>();

    results.forEach((row, i) => {
      const at = `results[${i}]`;
      if (!Array.isArray(row)) throw new ArtifactInvalidError(file, EXPECTED, `${at} is not a list of {field, value} pairs`);
      const f = new Map<string, string>();
      for (const cell of row) {
        if (!isObj(cell) || typeof cell.field !== 'string') throw new ArtifactInvalidError(file, EXPECTED, `${at} has a cell without a field name`);
        if (typeof cell.value === 'string' || typeof cell.value === 'number') f.set(cell.field, String(cell.value));
      }
      const time = awsTime(f.get('@timestamp'));
      if (time) { if (!firstTime || time < firstTime) firstTime = time; if (!lastTime || time > lastTime) lastTime = time; }
      const group = (f.get('@log') ?? '').replace(/^\d{12}:/, '');
      const stream = f.get('@logStream') ?? '';
      const fn = /^\/aws\/lambda\/(.+)$/.exec(group)?.[1] ?? /\/aws\/lambda\/([^/\s]+)/.exec(stream)?.[1];
      const message = f.get('@message') ?? '';
      const looksLambda = fn !== undefined || f.has('@maxMemoryUsed') || f.has('@memorySize') || f.get('@type') === 'REPORT' || LAMBDA_MESSAGE.test(message)
        || (!group && f.has('@requestId'));
      if (fn) functions.add(fn);
      const evidence = looksLambda ? lambdaRow(f, message, { file, at, time, subject: defined({ platform: 'lambda' as const, functionName: fn }) })
        : otherRow(message, { file, at, time, subject: subjectOfStream(stream) });
      rows.push({ time, evidence, lambda: looksLambda });
    });

    // Insights sorts newest first; series rules read oldest first.
    if (rows.every((r) => r.time)) rows.sort((a, b) => (a.time! < b.time! ? -1 : a.time! > b.time! ? 1 : 0));
    const out = dropRepeats(rows.flatMap((r) => r.evidence));
    const status = typeof root.status === 'string' ? root.status : undefined;
    const kinds = new Set(rows.map((r) => r.lambda));
    if (kinds.size === 0) kinds.add(true);
    for (const lambda of kinds) {
      const n = rows.filter((r) => r.lambda === lambda).length;
      const subject: Subject = lambda ? { platform: 'lambda' } : {};
      if (lambda && functions.size === 1) subject.functionName = [...functions][0]!;
      out.push(defined({
        kind: 'log.coverage', cite: defined({ file, at: 'results', excerpt: status ? `status: ${status}` : undefined }), subject,
        log: lambda ? 'lambda' : 'container', lines: n, firstTime, lastTime,
        queryStatus: status && status !== 'Complete' ? status : undefined,
      } satisfies LogCoverageEvidence));
    }
    return out;
  },
} satisfies StructuredParser;

// One JVM abort logs its error twice ("Exception in thread ..." then "Terminating due to ..."), each a row.
const SAME_ABORT_MS = 5_000;

/** Drops a runtime OOM message that follows another from the same runtime and stream within a few seconds. */
function dropRepeats(evidence: Evidence[]): Evidence[] {
  const last = new Map<string, number>();
  return evidence.filter((e) => {
    if (e.kind !== 'runtime.heap' || !e.time) return true;
    const key = `${JSON.stringify(e.subject)}\u0000${e.runtime}`;
    const at = Date.parse(e.time);
    const prev = last.get(key);
    last.set(key, at);
    return prev === undefined || Math.abs(at - prev) > SAME_ABORT_MS;
  });
}

interface RowContext { file: string; at: string; time?: string; subject: Subject }

function lambdaRow(f: Map<string, string>, message: string, ctx: RowContext): Evidence[] {
  const matcher = new LambdaLine();
  const evidence = message ? matcher.match(message, { ...ctx, at: `${ctx.at}.@message` }) : [];
  const fields = fieldInvocation(f);
  const inv = evidence.find((e): e is LambdaInvocationEvidence => e.kind === 'lambda.invocation');
  if (inv) {
    // The message said it in MB already; fields only fill what it lacked.
    for (const [k, v] of Object.entries(fields) as [keyof typeof fields, unknown][]) if (inv[k] === undefined && v !== undefined) (inv as unknown as Obj)[k] = v;
    return evidence;
  }
  if (fields.maxMemoryUsedMb === undefined && fields.memorySizeMb === undefined) return evidence;
  const excerpt = [f.has('@maxMemoryUsed') ? `@maxMemoryUsed: ${f.get('@maxMemoryUsed')}` : '', f.has('@memorySize') ? `@memorySize: ${f.get('@memorySize')}` : ''].filter(Boolean).join(', ');
  const cite = { file: ctx.file, at: ctx.at, excerpt };
  const made: LambdaInvocationEvidence = defined({ kind: 'lambda.invocation', cite, subject: { ...ctx.subject }, time: ctx.time, ...fields });
  evidence.unshift(made);
  if (made.maxMemoryUsedMb !== undefined) {
    evidence.splice(1, 0, defined({
      kind: 'memory.sample', cite: { ...cite }, subject: { ...ctx.subject }, time: ctx.time, metric: 'lambda.maxMemoryUsed',
      usedBytes: made.maxMemoryUsedMb * MIB, limitBytes: made.memorySizeMb === undefined ? undefined : made.memorySizeMb * MIB,
    } satisfies MemorySampleEvidence));
  }
  return evidence;
}

function fieldInvocation(f: Map<string, string>): Omit<LambdaInvocationEvidence, 'kind' | 'cite' | 'subject' | 'time'> {
  const n = (k: string) => { const v = f.get(k); if (v === undefined || v.trim() === '') return undefined; const x = Number(v); return Number.isFinite(x) ? x : undefined; };
  const mb = (k: string) => { const v = n(k); return v === undefined ? undefined : v / INSIGHTS_BYTES_PER_MB; };
  return defined({
    requestId: f.get('@requestId') || undefined, durationMs: n('@duration'), billedDurationMs: n('@billedDuration'),
    memorySizeMb: mb('@memorySize'), maxMemoryUsedMb: mb('@maxMemoryUsed'), initDurationMs: n('@initDuration'),
  });
}

function otherRow(message: string, ctx: RowContext): Evidence[] {
  const out: Evidence[] = [];
  for (const line of message.split('\n')) {
    const oom = runtimeOomMessage(line);
    if (oom) {
      out.push(defined({
        kind: 'runtime.heap' as const, cite: { file: ctx.file, at: `${ctx.at}.@message`, excerpt: oom.message }, subject: { ...ctx.subject },
        runtime: oom.runtime, message: oom.message, time: ctx.time,
      }));
    }
  }
  return out;
}

function subjectOfStream(stream: string): Subject {
  const m = ECS_STREAM.exec(stream);
  return m ? { platform: 'ecs', containerName: m[1]!, taskId: m[2]! } : {};
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
