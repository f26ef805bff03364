import type { Evidence, LambdaErrorEvidence, LambdaInvocationEvidence, MemorySampleEvidence, RuntimeHeapEvidence, Subject } from '../diagnosis/evidence.js';
import { defined } from './defined.js';
import { nodeGcHeapMb } from './node-gc-heap.js';
import { ownStrings } from './own-strings.js';
import { runtimeOomMessage } from './runtime-oom-message.js';

/**
 * Where a message was read: the file, the line or JSON path, its time and whose log it is.
 * `at` is read only for evidence (a streamed log may give it as a getter, see LogLine.at).
 */
export interface LambdaLineContext {
  readonly file: string;
  readonly at: string;
  readonly time?: string;
  readonly subject: Subject;
}

// NOTE: Lambda's "MB" (Memory Size, Max Memory Used, memorySizeMB) are MiB: 128 MB of Memory Size is 134,217,728 bytes.
const MIB = 1024 * 1024;
// A Node GC trace belongs to the abort that follows it within a screenful of lines.
const GC_TRACE_REACH = 50;
// One abort prints more than one OOM line (Java's "Exception in thread" then "Caused by"/"Terminating due to"):
// the same runtime again within this many lines is the same event.
const SAME_EVENT_LINES = 20;
const MAX_EXCERPT = 240;

// A REPORT (line, or record as JSON) longer than this is read whole as soon as it is kept: its evidence holds less.
const MAX_KEPT_LINE = 1024;
// KeptReports' first Buffer, doubled as needed: 20,000 REPORTs of ~200 bytes (and as many pinned) take 4 (8) MB.
const KEPT_BYTES = 1024 * 1024;
const SLOT_FIELDS = 5;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const REPORT = /\bREPORT RequestId:\s*([\w-]+)/;
const DURATION = /(?<!Billed |Init |Restore )Duration:\s*([\d.]+)\s*ms/;
const BILLED_DURATION = /Billed Duration:\s*([\d.]+)\s*ms/;
const MEMORY_SIZE = /Memory Size:\s*(\d+)\s*MB/;
const MAX_MEMORY_USED = /Max Memory Used:\s*(\d+)\s*MB/;
const INIT_DURATION = /Init Duration:\s*([\d.]+)\s*ms/;
const STATUS = /Status:\s*(\w+)/;
const ERROR_TYPE = /Error Type:\s*([\w.]+)/;
const RUNTIME_EXIT = /Runtime exited (?:with error: (.*?)|without providing a reason)\s*$/;
const TIMED_OUT = /Task timed out after ([\d.]+) seconds/;
const INIT_REPORT = /\bINIT_REPORT\b.*?\bStatus:\s*(\w+)/;
const ERROR_TYPE_LINE = /^\s*((?:Runtime|Sandbox|Function)\.[A-Za-z]+)\s*$/;
const PLATFORM_LINE = /\b(?:START|END|REPORT) RequestId:|\bINIT_(?:START|REPORT|RUNTIME_DONE)\b|\bEXTENSION\b.*\bState:/;
const LOG_GROUP = /\/aws\/lambda\/([A-Za-z0-9_-]{1,64})/;

/** What LambdaLine.scan finds, in log order: evidence, or a REPORT read only as far as deciding whether to keep it. */
export type LambdaFinding = Evidence | LambdaReport;

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
    const found: LambdaFinding[] = [];
    this.scan(message, ctx, found);
    return found.flatMap((f) => (f instanceof LambdaReport ? f.evidence() : [f]));
  }

  /**
   * What one message holds, appended to `out` in order. REPORTs come as LambdaReport, read only as far as
   * deciding whether to keep them: a huge log builds the evidence of the few it keeps (LambdaReport.evidence).
   * `json` is the message already parsed, when the caller has (LogLine.json).
   */
  scan(message: string, ctx: LambdaLineContext, out: LambdaFinding[], json?: Record<string, unknown>): void {
    if (json) { this.record(json, ctx, out); return; }
    if (mayStartWithBrace(message)) {
      const trimmed = message.trim();
      if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
        const record = parseRecord(trimmed);
        if (record) { this.record(record, ctx, out); return; }
      }
    }
    if (!message.includes('\n')) { this.line(withoutCr(message), ctx, out); return; }
    for (const line of message.split('\n')) this.line(withoutCr(line), ctx, out);
  }

  private line(line: string, ctx: LambdaLineContext, out: LambdaFinding[]): void {
    this.lineNo++;
    if (isBlank(line)) return;
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
    if (report) { this.recognised++; out.push(LambdaReport.fromLine(line, report[1]!, ctx)); return; }
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
        const type = ERROR_TYPE.exec(line)?.[1] ?? (init[1]!.toLowerCase() === 'timeout' ? 'Sandbox.Timedout' : undefined);
        out.push(this.error(ctx, line, { errorType: type, message: line.slice(line.indexOf('INIT_REPORT')).trim() }));
      }
      return;
    }
    // Each of PLATFORM_LINE's alternatives holds one of these words: most lines are spared the pattern.
    if ((line.includes('RequestId:') || line.includes('INIT_') || line.includes('EXTENSION')) && PLATFORM_LINE.test(line)) { this.recognised++; return; }
    const oom = runtimeOomMessage(line);
    if (!oom) return;
    const repeat = this.lastHeap?.runtime === oom.runtime && this.lineNo - this.lastHeap.line <= SAME_EVENT_LINES;
    this.lastHeap = { runtime: oom.runtime, line: this.lineNo };
    if (repeat) { this.recognised++; return; }
    out.push(this.heap(ctx, oom.runtime, oom.message));
  }

  /** A Lambda JSON-format record (`{"time":..,"type":"platform.report","record":{..}}`) or a JSON application log. */
  private record(r: Record<string, unknown>, ctx: LambdaLineContext, out: LambdaFinding[]): void {
    const time = (typeof r.time === 'string' ? r.time : typeof r.timestamp === 'string' ? r.timestamp : undefined) ?? ctx.time;
    const at = retimed(ctx, time);
    const type = typeof r.type === 'string' ? r.type : '';
    const rec = isRecord(r.record) ? r.record : {};
    if (type.startsWith('platform.')) {
      this.recognised++;
      if (type === 'platform.initStart' && typeof rec.functionName === 'string') this.functionName ??= rec.functionName;
      if (type === 'platform.report') { out.push(LambdaReport.fromRecord(rec, at)); return; }
      const status = str(rec.status);
      if (status && status !== 'success' && /Report$|runtimeDone$/.test(type)) {
        const errorType = str(rec.errorType) ?? (status === 'timeout' ? 'Sandbox.Timedout' : undefined);
        out.push(this.error(at, JSON.stringify({ type, record: rec }), {
          requestId: str(rec.requestId), errorType, message: `${type} status ${status}${errorType ? ` (${errorType})` : ''}`,
        }));
      }
      return;
    }
    // Application JSON logs: the message, or an error object, may carry a runtime OOM or a runtime exit.
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

/**
 * One REPORT (a plain line or a JSON platform.report record), read only as far as deciding whether to keep it:
 * its request id, peak memory and outcome. `evidence()` reads the rest into lambda.invocation (+ memory.sample),
 * so that a log of millions of REPORTs builds evidence only for the few thousand it keeps (see KeptReports).
 */
export class LambdaReport {
  private constructor(
    /** The REPORT line, or the platform.report record. */
    private readonly source: string | Record<string, unknown>,
    /** Where it was read (`at` is read only when needed, see LambdaLineContext). */
    private readonly where: LambdaLineContext,
    readonly requestId: string | undefined,
    /** Max Memory Used (MB, i.e. MiB). */
    readonly maxMemoryUsedMb: number | undefined,
    /** `Status:` (`success`, `error`, `timeout`), on newer REPORTs. */
    readonly status: string | undefined,
    readonly errorType: string | undefined,
  ) {}

  static fromLine(line: string, requestId: string, ctx: LambdaLineContext): LambdaReport {
    // Each pattern needs its label: a cheap test spares the pattern when the label is absent.
    const used = line.includes('Max Memory Used:') ? MAX_MEMORY_USED.exec(line) : null;
    const status = line.includes('Status:') ? STATUS.exec(line) : null;
    const errorType = line.includes('Error Type:') ? ERROR_TYPE.exec(line) : null;
    return new LambdaReport(line, ctx, requestId, used ? Number(used[1]) : undefined, status?.[1], errorType?.[1]);
  }

  static fromRecord(rec: Record<string, unknown>, ctx: LambdaLineContext): LambdaReport {
    const m = isRecord(rec.metrics) ? rec.metrics : {};
    return new LambdaReport(rec, ctx, str(rec.requestId), num(m.maxMemoryUsedMB), str(rec.status), str(rec.errorType));
  }

  /** The report again from what `text()` gave: the line, or the record as JSON. */
  static fromText(text: string, json: boolean, ctx: LambdaLineContext): LambdaReport {
    return json ? LambdaReport.fromRecord(JSON.parse(text) as Record<string, unknown>, ctx) : LambdaReport.fromLine(text, REPORT.exec(text)![1]!, ctx);
  }

  /** What the report was read from, as text (`json`: a platform.report record), for `fromText`. */
  text(): { text: string; json: boolean } {
    const s = this.source;
    return typeof s === 'string' ? { text: s, json: false } : { text: JSON.stringify(s), json: true };
  }

  get at(): string { return this.where.at; }
  get time(): string | undefined { return this.where.time; }

  /** lambda.invocation, and a memory.sample when the REPORT gives the peak. */
  evidence(): Evidence[] {
    const s = this.source;
    if (typeof s === 'string') {
      return this.invocation(excerpt(s.slice(s.indexOf('REPORT')).trim()), {
        requestId: this.requestId,
        durationMs: numberIn(DURATION, s),
        billedDurationMs: numberIn(BILLED_DURATION, s),
        memorySizeMb: numberIn(MEMORY_SIZE, s),
        maxMemoryUsedMb: this.maxMemoryUsedMb,
        initDurationMs: numberIn(INIT_DURATION, s),
        status: this.status,
        errorType: this.errorType,
      });
    }
    const m = isRecord(s.metrics) ? s.metrics : {};
    return this.invocation(excerpt(JSON.stringify({ type: 'platform.report', record: s })), {
      requestId: this.requestId, durationMs: num(m.durationMs), billedDurationMs: num(m.billedDurationMs),
      memorySizeMb: num(m.memorySizeMB), maxMemoryUsedMb: this.maxMemoryUsedMb, initDurationMs: num(m.initDurationMs),
      status: this.status, errorType: this.errorType,
    });
  }

  private invocation(quote: string, f: Omit<LambdaInvocationEvidence, 'kind' | 'cite' | 'subject'>): Evidence[] {
    const { file, at, time, subject } = this.where;
    const cite = { file, at, excerpt: quote };
    const inv: LambdaInvocationEvidence = defined({ kind: 'lambda.invocation', cite, subject: { ...subject }, time, ...f });
    if (inv.maxMemoryUsedMb === undefined) return [inv];
    const sample: MemorySampleEvidence = defined({
      kind: 'memory.sample', cite: { ...cite }, subject: { ...subject }, time,
      usedBytes: inv.maxMemoryUsedMb * MIB, limitBytes: inv.memorySizeMb === undefined ? undefined : inv.memorySizeMb * MIB,
      metric: 'lambda.maxMemoryUsed',
    });
    return [inv, sample];
  }
}

/**
 * The REPORTs a long log holds while thinning decides which to keep (see EvenlyThinned), off the V8 heap:
 * UTF-8 in one Buffer, a slot number each. A 1 GB log holds ~100,000 REPORTs for a while before thinning
 * settles on 20,000; on the heap each would outlive a scavenge or two, and V8 answers steady survivors by
 * growing its young generation and old space, which shows as RSS. Read back, a REPORT is new strings of its
 * own: it pins no log line. Space of dropped REPORTs is reclaimed when the Buffer fills.
 */
export class KeptReports {
  private bytes = Buffer.allocUnsafe(KEPT_BYTES);
  private end = 0;
  private slots = 0;
  // Per slot, SLOT_FIELDS numbers: where its bytes start (-1: free), the byte lengths of its at, its time
  // (-1: none) and its text, and 1 when the text is a JSON record. Typed, so that holding them allocates nothing.
  private meta = new Int32Array(1024 * SLOT_FIELDS);
  private free: number[] = [];
  /** Evidence of REPORTs too long to hold as text, read at once (rare). */
  private built = new Map<number, Evidence[]>();

  /** `live` gives the slots still wanted; asked when the Buffer fills. */
  constructor(private readonly file: string, private readonly subject: Subject, private readonly live: () => ArrayLike<number>) {}

  /** Holds `report`; returns its slot. */
  put(report: LambdaReport): number {
    const { text, json } = report.text();
    if (text.length > MAX_KEPT_LINE) {
      const slot = this.slot();
      this.built.set(slot, ownStrings(report.evidence()));
      this.set(slot, this.end, 0, -1, 0, false);
      return slot;
    }
    const { at, time } = report;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const most = 3 * (at.length + (time?.length ?? 0) + text.length);
    if (this.end + most > this.bytes.length) this.reclaim(most);
    const slot = this.slot();
    const start = this.end;
    const a = this.bytes.write(at, start);
    const t = time === undefined ? -1 : this.bytes.write(time, start + a);
    const x = this.bytes.write(text, start + a + Math.max(t, 0));
    this.end = start + a + Math.max(t, 0) + x;
    this.set(slot, start, a, t, x, json);
    return slot;
  }

  /** The evidence of the REPORT in `slot`. */
  evidence(slot: number): Evidence[] {
    const built = this.built.get(slot);
    if (built) return built;
    const i = slot * SLOT_FIELDS;
    let p = this.meta[i]!;
    const at = this.bytes.toString('utf8', p, (p += this.meta[i + 1]!));
    const t = this.meta[i + 2]!;
    const time = t < 0 ? undefined : this.bytes.toString('utf8', p, (p += t));
    const text = this.bytes.toString('utf8', p, p + this.meta[i + 3]!);
    return LambdaReport.fromText(text, this.meta[i + 4] === 1, defined({ file: this.file, at, time, subject: this.subject })).evidence();
  }

  private slot(): number {
    const free = this.free.pop();
    if (free !== undefined) return free;
    if ((this.slots + 1) * SLOT_FIELDS > this.meta.length) {
      const meta = new Int32Array(this.meta.length * 2);
      meta.set(this.meta);
      this.meta = meta;
    }
    return this.slots++;
  }

  private set(slot: number, start: number, at: number, time: number, text: number, json: boolean): void {
    const i = slot * SLOT_FIELDS;
    this.meta[i] = start;
    this.meta[i + 1] = at;
    this.meta[i + 2] = time;
    this.meta[i + 3] = text;
    this.meta[i + 4] = json ? 1 : 0;
  }

  private size(slot: number): number {
    const i = slot * SLOT_FIELDS;
    return this.meta[i + 1]! + Math.max(this.meta[i + 2]!, 0) + this.meta[i + 3]!;
  }

  /** Frees the slots no longer wanted and moves the rest to the front of a Buffer with room for `more` bytes. */
  private reclaim(more: number): void {
    const wanted = new Uint8Array(this.slots);
    const live = this.live();
    for (let i = 0; i < live.length; i++) wanted[live[i]!] = 1;
    let liveBytes = 0;
    for (let slot = 0; slot < this.slots; slot++) {
      if (this.meta[slot * SLOT_FIELDS]! < 0) continue;
      if (wanted[slot]) { liveBytes += this.size(slot); continue; }
      this.meta[slot * SLOT_FIELDS] = -1;
      this.built.delete(slot);
      this.free.push(slot);
    }
    let capacity = this.bytes.length;
    while (capacity < 1.5 * (liveBytes + more)) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    let end = 0;
    for (let slot = 0; slot < this.slots; slot++) {
      const start = this.meta[slot * SLOT_FIELDS]!;
      if (start < 0) continue;
      const size = this.size(slot);
      this.bytes.copy(next, end, start, start + size);
      this.meta[slot * SLOT_FIELDS] = end;
      end += size;
    }
    this.bytes = next;
    this.end = end;
  }
}

/** `ctx` at another time; its `at` is still read only when evidence cites it. */
function retimed(ctx: LambdaLineContext, time: string | undefined): LambdaLineContext {
  return time === ctx.time ? ctx : { file: ctx.file, subject: ctx.subject, time, get at() { return ctx.at; } };
}

/** Whether `s`, trimmed, may start with `{` (most lines start with a printable ASCII character other than it). */
function mayStartWithBrace(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 0x7b || !(c > 0x20 && c < 0x7f);
}

/** `s.trim() === ''`, without trimming lines that start with a printable ASCII character. */
function isBlank(s: string): boolean {
  const c = s.charCodeAt(0);
  return c > 0x20 && c < 0x7f ? false : s.trim() === '';
}

/** `s` without one trailing `\r`. */
function withoutCr(s: string): string {
  return s.charCodeAt(s.length - 1) === 0x0d ? s.slice(0, -1) : s;
}

function numberIn(re: RegExp, line: string): number | undefined {
  const m = re.exec(line);
  return m ? Number(m[1]) : undefined;
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
