import type { Evidence, LambdaErrorEvidence, LambdaInvocationEvidence, MemorySampleEvidence, RuntimeHeapEvidence, Subject } from '../diagnosis/evidence.js';
import { defined } from './defined.js';
import { nodeGcHeapMb } from './node-gc-heap.js';
import { runtimeOomMessage } from './runtime-oom-message.js';

/** Where a message was read: the file, the line or JSON path, its time and whose log it is. */
export interface LambdaLineContext {
  file: string;
  at: string;
  time?: string;
  subject: Subject;
}

// NOTE: Lambda's "MB" (Memory Size, Max Memory Used, memorySizeMB) are MiB: 128 MB of Memory Size is 134,217,728 bytes.
const MIB = 1024 * 1024;
// A Node GC trace belongs to the abort that follows it within a screenful of lines.
const GC_TRACE_REACH = 50;
// One abort prints more than one OOM line (Java's "Exception in thread" then "Caused by"/"Terminating due to"):
// the same runtime again within this many lines is the same event.
const SAME_EVENT_LINES = 20;
const MAX_EXCERPT = 240;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const REPORT = /\bREPORT RequestId:\s*([\w-]+)/;
const RUNTIME_EXIT = /Runtime exited (?:with error: (.*?)|without providing a reason)\s*$/;
const TIMED_OUT = /Task timed out after ([\d.]+) seconds/;
const INIT_REPORT = /\bINIT_REPORT\b.*?\bStatus:\s*(\w+)/;
const ERROR_TYPE_LINE = /^\s*((?:Runtime|Sandbox|Function)\.[A-Za-z]+)\s*$/;
const PLATFORM_LINE = /\b(?:START|END|REPORT) RequestId:|\bINIT_(?:START|REPORT|RUNTIME_DONE)\b|\bEXTENSION\b.*\bState:/;
const LOG_GROUP = /\/aws\/lambda\/([A-Za-z0-9_-]{1,64})/;

/**
 * Reads Lambda log messages one line at a time into evidence: REPORT (plain or JSON platform.report) →
 * lambda.invocation + memory.sample; "Runtime exited with error", timeouts and failed INIT_REPORTs → lambda.error
 * (a following `Runtime.ExitError` line completes the error); runtime out-of-memory messages → runtime.heap
 * (Node's heap size from the GC trace before it). Keeps only a little state, never lines.
 * Shared by the lambda.log (streamed) and logs.insights (one message per row) parsers.
 */
export class LambdaLine {
  /** Function name when the log names it (`/aws/lambda/<name>`, platform.initStart). */
  functionName: string | undefined;
  /** Lines that were Lambda platform lines, errors or runtime OOM messages. */
  recognised = 0;
  private lastError: LambdaErrorEvidence | undefined;
  private gc: { mb: number; line: number } | undefined;
  private lastHeap: { runtime: string; line: number } | undefined;
  private lineNo = 0;

  /** Evidence from one message; a message may hold several lines. */
  match(message: string, ctx: LambdaLineContext): Evidence[] {
    const trimmed = message.trim();
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
      const record = parseRecord(trimmed);
      if (record) return this.record(record, ctx);
    }
    const out: Evidence[] = [];
    for (const line of message.split('\n')) this.line(line.replace(/\r$/, ''), ctx, out);
    return out;
  }

  private line(line: string, ctx: LambdaLineContext, out: Evidence[]): void {
    this.lineNo++;
    if (line.trim() === '') return;
    if (!this.functionName && line.includes('/aws/lambda/')) this.functionName = LOG_GROUP.exec(line)?.[1];
    const errorType = this.lastError ? ERROR_TYPE_LINE.exec(line) : null;
    if (errorType && this.lastError && !this.lastError.errorType) {
      this.lastError.errorType = errorType[1];
      this.recognised++;
      this.lastError = undefined;
      return;
    }
    this.lastError = undefined;
    const gcMb = nodeGcHeapMb(line);
    if (gcMb !== null) { this.gc = { mb: gcMb, line: this.lineNo }; return; }

    const report = line.includes('REPORT') ? REPORT.exec(line) : null;
    if (report) { this.recognised++; out.push(...this.report(line, report[1]!, ctx)); return; }
    const exit = line.includes('Runtime exited') ? RUNTIME_EXIT.exec(line) : null;
    if (exit) {
      const detail = exit[1] ?? '';
      const signal = /signal:\s*(\w+)/.exec(detail)?.[1];
      const status = /exit status (\d+)/.exec(detail)?.[1];
      this.lastError = this.error(ctx, line, {
        requestId: requestIdIn(line), signal, exitStatus: status === undefined ? undefined : Number(status),
        errorType: /\b((?:Runtime|Sandbox)\.[A-Za-z]+)\s*$/.exec(detail)?.[1],
        message: line.slice(exit.index).replace(/\s+(?:Runtime|Sandbox)\.[A-Za-z]+\s*$/, '').trim(),
      });
      out.push(this.lastError);
      return;
    }
    const timedOut = line.includes('Task timed out') ? TIMED_OUT.exec(line) : null;
    if (timedOut) {
      out.push(this.error(ctx, line, { requestId: requestIdIn(line), errorType: 'Sandbox.Timedout', message: timedOut[0] }));
      return;
    }
    const init = line.includes('INIT_REPORT') ? INIT_REPORT.exec(line) : null;
    if (init) {
      this.recognised++;
      if (init[1]!.toLowerCase() !== 'success') {
        const type = /Error Type:\s*([\w.]+)/.exec(line)?.[1] ?? (init[1]!.toLowerCase() === 'timeout' ? 'Sandbox.Timedout' : undefined);
        out.push(this.error(ctx, line, { errorType: type, message: line.slice(line.indexOf('INIT_REPORT')).trim() }));
      }
      return;
    }
    if (PLATFORM_LINE.test(line)) { this.recognised++; return; }
    const oom = runtimeOomMessage(line);
    if (!oom) return;
    const repeat = this.lastHeap?.runtime === oom.runtime && this.lineNo - this.lastHeap.line <= SAME_EVENT_LINES;
    this.lastHeap = { runtime: oom.runtime, line: this.lineNo };
    if (repeat) { this.recognised++; return; }
    out.push(this.heap(ctx, oom.runtime, oom.message));
  }

  private report(line: string, requestId: string, ctx: LambdaLineContext): Evidence[] {
    const num = (re: RegExp) => { const m = re.exec(line); return m ? Number(m[1]) : undefined; };
    return this.invocation(ctx, excerpt(line.slice(line.indexOf('REPORT')).trim()), {
      requestId,
      durationMs: num(/(?<!Billed |Init |Restore )Duration:\s*([\d.]+)\s*ms/),
      billedDurationMs: num(/Billed Duration:\s*([\d.]+)\s*ms/),
      memorySizeMb: num(/Memory Size:\s*(\d+)\s*MB/),
      maxMemoryUsedMb: num(/Max Memory Used:\s*(\d+)\s*MB/),
      initDurationMs: num(/Init Duration:\s*([\d.]+)\s*ms/),
      status: /Status:\s*(\w+)/.exec(line)?.[1],
      errorType: /Error Type:\s*([\w.]+)/.exec(line)?.[1],
    });
  }

  /** A Lambda JSON-format record (`{"time":..,"type":"platform.report","record":{..}}`) or a JSON application log. */
  private record(r: Record<string, unknown>, ctx: LambdaLineContext): Evidence[] {
    const time = (typeof r.time === 'string' ? r.time : typeof r.timestamp === 'string' ? r.timestamp : undefined) ?? ctx.time;
    const at = { ...ctx, time };
    const type = typeof r.type === 'string' ? r.type : '';
    const rec = isRecord(r.record) ? r.record : {};
    if (type.startsWith('platform.')) {
      this.recognised++;
      if (type === 'platform.initStart' && typeof rec.functionName === 'string') this.functionName ??= rec.functionName;
      if (type === 'platform.report') {
        const m = isRecord(rec.metrics) ? rec.metrics : {};
        return this.invocation(at, excerpt(JSON.stringify({ type, record: rec })), {
          requestId: str(rec.requestId), durationMs: num(m.durationMs), billedDurationMs: num(m.billedDurationMs),
          memorySizeMb: num(m.memorySizeMB), maxMemoryUsedMb: num(m.maxMemoryUsedMB), initDurationMs: num(m.initDurationMs),
          status: str(rec.status), errorType: str(rec.errorType),
        });
      }
      const status = str(rec.status);
      if (status && status !== 'success' && /Report$|runtimeDone$/.test(type)) {
        const errorType = str(rec.errorType) ?? (status === 'timeout' ? 'Sandbox.Timedout' : undefined);
        return [this.error(at, JSON.stringify({ type, record: rec }), {
          requestId: str(rec.requestId), errorType, message: `${type} status ${status}${errorType ? ` (${errorType})` : ''}`,
        })];
      }
      return [];
    }
    // Application JSON logs: the message, or an error object, may carry a runtime OOM or a runtime exit.
    const out: Evidence[] = [];
    const msg = r.message;
    if (typeof msg === 'string') for (const line of msg.split('\n')) this.line(line, at, out);
    for (const err of [r, isRecord(msg) ? msg : undefined]) {
      if (!err || typeof err.errorType !== 'string') continue;
      const errorMessage = typeof err.errorMessage === 'string' ? err.errorMessage : '';
      // A logged invoke error: {"errorType":"Runtime.ExitError","errorMessage":"RequestId: … Error: Runtime exited with error: signal: killed"}
      if (errorMessage.includes('Runtime exited')) {
        this.line(errorMessage, at, out);
        if (this.lastError && !this.lastError.errorType) this.lastError.errorType = err.errorType;
        continue;
      }
      const oom = runtimeOomMessage(`${err.errorType}${errorMessage ? `: ${errorMessage}` : ''}`);
      if (oom) out.push(this.heap(at, oom.runtime, oom.message));
    }
    return out;
  }

  private invocation(ctx: LambdaLineContext, quote: string, f: Omit<LambdaInvocationEvidence, 'kind' | 'cite' | 'subject'>): Evidence[] {
    const cite = { file: ctx.file, at: ctx.at, excerpt: quote };
    const inv: LambdaInvocationEvidence = defined({ kind: 'lambda.invocation', cite, subject: { ...ctx.subject }, time: ctx.time, ...f });
    if (inv.maxMemoryUsedMb === undefined) return [inv];
    const sample: MemorySampleEvidence = defined({
      kind: 'memory.sample', cite: { ...cite }, subject: { ...ctx.subject }, time: ctx.time,
      usedBytes: inv.maxMemoryUsedMb * MIB, limitBytes: inv.memorySizeMb === undefined ? undefined : inv.memorySizeMb * MIB,
      metric: 'lambda.maxMemoryUsed',
    });
    return [inv, sample];
  }

  private error(ctx: LambdaLineContext, line: string, f: Omit<LambdaErrorEvidence, 'kind' | 'cite' | 'subject' | 'time'>): LambdaErrorEvidence {
    this.recognised++;
    return defined({ kind: 'lambda.error', cite: { file: ctx.file, at: ctx.at, excerpt: excerpt(line.trim()) }, subject: { ...ctx.subject }, time: ctx.time, ...f });
  }

  private heap(ctx: LambdaLineContext, runtime: RuntimeHeapEvidence['runtime'], message: string): RuntimeHeapEvidence {
    this.recognised++;
    const heapUsedMb = runtime === 'node' && this.gc && this.lineNo - this.gc.line <= GC_TRACE_REACH ? this.gc.mb : undefined;
    if (runtime === 'node') this.gc = undefined;
    return defined({ kind: 'runtime.heap', cite: { file: ctx.file, at: ctx.at, excerpt: message }, subject: { ...ctx.subject }, runtime, message, time: ctx.time, heapUsedMb });
  }
}

function requestIdIn(line: string): string | undefined {
  return /RequestId:\s*([\w-]+)/.exec(line)?.[1] ?? UUID.exec(line)?.[0];
}

function excerpt(s: string): string {
  return s.length > MAX_EXCERPT ? `${s.slice(0, MAX_EXCERPT)}…` : s;
}

function parseRecord(text: string): Record<string, unknown> | undefined {
  try { const v: unknown = JSON.parse(text); return isRecord(v) ? v : undefined; } catch { return undefined; }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
