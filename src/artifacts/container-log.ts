import type { Evidence, LogCoverageEvidence, RuntimeHeapEvidence, Subject } from '../diagnosis/evidence.js';
import type { TextParser } from './artifact-parser.js';
import { defined } from './defined.js';
import { LogLineReader } from './log-line-reader.js';
import { nodeGcHeapMb } from './node-gc-heap.js';
import { ownStrings } from './own-strings.js';
import { runtimeOomMessage } from './runtime-oom-message.js';

// One abort prints more than one OOM line (Java's "Exception in thread" then "Terminating due to", Go's
// "cannot allocate" then "fatal error"): the same runtime again within this many lines is the same event.
const SAME_EVENT_LINES = 20;
// A Node GC trace belongs to the abort that follows it within a screenful of lines.
const GC_TRACE_REACH = 50;
// Runtime OOM messages kept from one log; past this they repeat one story.
const MAX_MESSAGES = 10_000;
// awslogs stream names: <prefix>/<container name>/<task id>.
const ECS_STREAM = /^[\w.-]+\/([\w.-]+)\/([0-9a-f]{32})$/;

/**
 * `docker logs` / `kubectl logs` / `aws logs tail` output of a container whose runtime ran out of heap.
 * The parser of last resort: it claims text only when its head holds a runtime OOM message.
 */
export const containerLog = {
  format: 'text',
  kind: 'container.log',
  expected: 'container output with a runtime out-of-memory message',
  detect(head: string): boolean {
    const t = head.trimStart();
    // A pod or a task list quoting a termination message is JSON for a structured parser, not a log.
    if ((t[0] === '{' || t[0] === '[') && !LogLineReader.takesJson(t)) return false;
    return head.split('\n').some((line) => runtimeOomMessage(line) !== null);
  },
  async parse(lines: AsyncIterable<string>, file: string): Promise<Evidence[]> {
    const reader = new LogLineReader();
    const out: Evidence[] = [];
    const recent = new Map<string, number>();
    let gc: { mb: number; line: number } | undefined;
    let lineNo = 0;
    let count = 0;
    let firstTime: string | undefined;
    let lastTime: string | undefined;

    for await (const raw of lines) {
      count++;
      for (const entry of reader.read(raw)) {
        if (entry.time) { if (!firstTime || entry.time < firstTime) firstTime = entry.time; if (!lastTime || entry.time > lastTime) lastTime = entry.time; }
        for (const line of entry.text.split('\n')) {
          lineNo++;
          const mb = nodeGcHeapMb(line);
          if (mb !== null) { gc = { mb, line: lineNo }; continue; }
          const oom = runtimeOomMessage(line);
          if (!oom) continue;
          const key = oom.runtime;
          const seenAt = recent.get(key);
          recent.set(key, lineNo);
          if (seenAt !== undefined && lineNo - seenAt <= SAME_EVENT_LINES) continue;
          if (recent.size > 100) recent.clear();
          if (out.length >= MAX_MESSAGES) continue;
          const heapUsedMb = oom.runtime === 'node' && gc && lineNo - gc.line <= GC_TRACE_REACH ? gc.mb : undefined;
          if (oom.runtime === 'node') gc = undefined;
          const heap: RuntimeHeapEvidence = defined({
            kind: 'runtime.heap', cite: { file, at: entry.at, excerpt: oom.message }, subject: subjectOf(entry.stream),
            runtime: oom.runtime, message: oom.message, time: entry.time, heapUsedMb,
          });
          out.push(ownStrings(heap));
        }
      }
    }
    const coverage: LogCoverageEvidence = defined({
      kind: 'log.coverage', cite: { file, at: `lines 1-${count}` }, subject: {}, log: 'container', lines: count, firstTime, lastTime,
    });
    const streams = new Set(out.map((e) => JSON.stringify(e.subject)));
    if (streams.size === 1) coverage.subject = { ...out[0]!.subject };
    out.push(coverage);
    return out;
  },
} satisfies TextParser;

function subjectOf(stream: string | undefined): Subject {
  const m = stream ? ECS_STREAM.exec(stream) : null;
  return m ? { platform: 'ecs', containerName: m[1]!, taskId: m[2]! } : {};
}
