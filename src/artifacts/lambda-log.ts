import type { Evidence, LogCoverageEvidence, Subject } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import type { TextParser } from './artifact-parser.js';
import { EvenlyThinned } from './evenly-thinned.js';
import { KeptReports, LambdaLine, LambdaReport } from './lambda-line.js';
import type { LambdaFinding, LambdaLineContext } from './lambda-line.js';
import { LogLineReader } from './log-line-reader.js';
import type { LogLine } from './log-line-reader.js';
import { ownString, ownStrings } from './own-strings.js';

const EXPECTED = 'Lambda CloudWatch log text (START/END/REPORT lines)';
// REPORTs kept from one log: a leak or a near-limit peak shows in 20,000 evenly spaced invocations, and
// 40,000 evidence items stay a few tens of MB. Errors and the peak are kept beyond it.
const MAX_INVOCATIONS = 20_000;
// Errors and runtime OOM messages kept from one log; past this they repeat one story.
const MAX_OTHER = 10_000;

const MARKER = new RegExp([
  String.raw`(?:^|[\s"'\]])(?:START|END|REPORT) RequestId: ?[0-9a-fA-F][\w-]{7,}`,
  String.raw`\bINIT_START Runtime Version:`,
  String.raw`\bINIT_REPORT Init Duration:`,
  String.raw`Error: Runtime exited with(?:out)? `,
  String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s+Task timed out after`,
  String.raw`"type"\s*:\s*"platform\.(?:initStart|start|report|initReport|runtimeDone|initRuntimeDone|restoreStart|restoreReport)"`,
].join('|'));

/**
 * Lambda logs as CloudWatch holds them: plain or timestamped text, `aws logs tail` output, the JSON log
 * format (platform.* records, one per line), and `aws logs filter-log-events` / `get-log-events` JSON.
 * The JSON documents are read as text, line by line (see LogLineReader), so a huge dump streams too.
 */
export const lambdaLog = {
  format: 'text',
  kind: 'lambda.log',
  expected: EXPECTED,
  detect(head: string): boolean {
    if (!MARKER.test(head)) return false;
    const t = head.trimStart();
    // JSON: JSON lines or a filter-log-events document, never other JSON that quotes a REPORT line.
    return t[0] !== '{' && t[0] !== '[' ? true : LogLineReader.takesJson(t);
  },
  async parse(lines: AsyncIterable<string>, file: string): Promise<Evidence[]> {
    const reader = new LogLineReader();
    const matcher = new LambdaLine();
    const subject: Subject = { platform: 'lambda' };
    // REPORTs are thinned before their evidence is built, and held meanwhile off the heap (KeptReports):
    // most are dropped, and as evidence on the heap they would outlive scavenges, which V8 turns into RSS.
    const invocations = new EvenlyThinned(MAX_INVOCATIONS);
    const reports = new KeptReports(file, subject, () => invocations.values());
    const other: { seq: number; value: Evidence }[] = [];
    const erroredRequests = new Set<string>();
    const found: LambdaFinding[] = [];
    let peak: { report: LambdaReport; seq: number; mb: number } | undefined;
    let count = 0;
    let seq = 0;
    let firstTime: string | undefined;
    let lastTime: string | undefined;
    let pinned = 0;

    for await (const raw of lines) {
      count++;
      for (const line of reader.read(raw)) {
        if (line.time) { if (!firstTime || line.time < firstTime) firstTime = line.time; if (!lastTime || line.time > lastTime) lastTime = line.time; }
        if (found.length > 0) found.length = 0;
        matcher.scan(line.text, new LineContext(file, subject, line), found, line.json);
        for (const f of found) {
          seq++;
          if (f instanceof LambdaReport) {
            const failed = (f.status !== undefined && f.status !== 'success') || f.errorType !== undefined || (f.requestId !== undefined && erroredRequests.has(f.requestId));
            const pin = failed && pinned < MAX_INVOCATIONS;
            if (pin) pinned++;
            // Stored only when thinning takes it (for now).
            invocations.add(invocations.admits(pin) ? reports.put(f) : -1, seq, pin);
            if (f.maxMemoryUsedMb !== undefined && (!peak || f.maxMemoryUsedMb >= peak.mb)) peak = { report: f, seq, mb: f.maxMemoryUsedMb };
          } else {
            if (f.kind === 'lambda.error' && f.requestId && erroredRequests.size < MAX_OTHER) erroredRequests.add(ownString(f.requestId));
            if (other.length < MAX_OTHER) other.push({ seq, value: ownStrings(f) });
          }
        }
      }
    }
    if (matcher.recognised === 0) {
      throw new ArtifactInvalidError(file, EXPECTED, 'no START, END, REPORT or runtime error line could be read');
    }
    if (peak && !invocations.holds(peak.seq)) invocations.ensure(reports.put(peak.report), peak.seq);

    const kept = invocations.kept();
    const merged = [...other, ...kept.flatMap(({ seq: s, value }) => reports.evidence(value).map((v) => ({ seq: s, value: v })))].sort((a, b) => a.seq - b.seq);
    const evidence = merged.map((m) => m.value);
    const coverage: LogCoverageEvidence = { kind: 'log.coverage', cite: { file, at: `lines 1-${count}` }, subject: { platform: 'lambda' }, log: 'lambda', lines: count };
    if (firstTime) coverage.firstTime = firstTime;
    if (lastTime) coverage.lastTime = lastTime;
    if (kept.length < invocations.seen) coverage.thinned = { seen: invocations.seen, kept: kept.length };
    evidence.push(coverage);
    const functionName = matcher.functionName === undefined ? undefined : ownStrings([matcher.functionName])[0];
    if (functionName) for (const e of evidence) e.subject.functionName = functionName;
    return evidence;
  },
} satisfies TextParser;

/** Where a line was read, its `at` written out only if evidence cites it (see LogLine.at). */
class LineContext implements LambdaLineContext {
  constructor(readonly file: string, readonly subject: Subject, private readonly line: LogLine) {}

  get at(): string { return this.line.at; }
  get time(): string | undefined { return this.line.time; }
}
