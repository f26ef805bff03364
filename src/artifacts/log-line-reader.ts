import { awsTime } from './aws-time.js';

/** One log message with its time and where it was read. */
export interface LogLine {
  /** The message itself, prefixes and JSON wrapping removed (may hold `\n` for a multi-line event). */
  text: string;
  /** `line 42`, or `events[3].message` inside a CloudWatch Logs JSON document. */
  at: string;
  time?: string;
  /** CloudWatch log stream (`aws logs tail` prefix, `logStreamName`). */
  stream?: string;
}

const TS = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?`;
// `aws logs tail`: "<time> <stream> <message>", streams as Lambda (2024/05/01/[$LATEST]<hex>) or awslogs (prefix/container/<taskId>) name them.
const TAIL = new RegExp(String.raw`^(${TS})\s+(\d{4}/\d{2}/\d{2}/\[[^\]]*\][0-9a-zA-Z]+|[\w.-]+/[\w.-]+/[0-9a-f]{32})\s(.*)$`);
// `docker logs -t`, `kubectl logs --timestamps`, Lambda's own "<time>\t<requestId>\t<level>\t..." lines.
const STAMPED = new RegExp(String.raw`^(${TS})\s(.*)$`);
// A field line of pretty-printed `aws logs filter-log-events` / `get-log-events` output.
const FIELD = /^\s*"(timestamp|message|logStreamName)"\s*:\s*(.+?)\s*,?\s*$/;
const OBJECT_EDGE = /^\s*[{}\]],?\s*$|^\s*"events"\s*:\s*\[\s*$/;

/**
 * Unwraps log lines as people paste them: plain text, timestamped (`docker logs -t`, `aws logs tail`),
 * JSON lines (CloudWatch events, docker's json-file), or a pretty-printed CloudWatch Logs `events` document
 * read line by line, so even a 1 GB `filter-log-events` dump streams in bounded memory.
 * JSON lines that are none of those (Lambda JSON-format records) come back whole for the caller to read.
 */
export class LogLineReader {
  /**
   * Whether a head that starts like JSON is something this reader takes: JSON lines (the first line is a whole
   * object) or a CloudWatch Logs `events` document. Other JSON (an Insights result, a pod, a task list that
   * quotes a log line) belongs to a structured parser, even when it is too large to be detected as one.
   */
  static takesJson(head: string): boolean {
    const t = head.trimStart();
    if (/^\{\s*"(?:events|nextForwardToken|nextBackwardToken|searchedLogStreams)"\s*:/.test(t)) return true;
    const nl = t.indexOf('\n');
    return isRecord(parseJson((nl < 0 ? t : t.slice(0, nl)).trim()));
  }

  private lineNo = 0;
  private pretty: boolean | undefined;
  private event = 0;
  private pending: { time?: string; stream?: string } = {};

  read(line: string): LogLine[] {
    this.lineNo++;
    if (this.pretty === undefined && line.trim() !== '') {
      const t = line.trim();
      this.pretty = t === '{' || t === '[';
    }
    return this.pretty ? this.readPretty(line) : this.readLine(line);
  }

  private readPretty(line: string): LogLine[] {
    if (OBJECT_EDGE.test(line)) { this.pending = {}; return []; }
    const m = FIELD.exec(line);
    if (!m) return [];
    const value = parseJson(m[2]!);
    if (m[1] === 'timestamp') { this.pending.time = awsTime(value); return []; }
    if (m[1] === 'logStreamName') { if (typeof value === 'string') this.pending.stream = value; return []; }
    if (typeof value !== 'string') return [];
    return [withMeta({ text: value, at: `events[${this.event++}].message` }, this.pending.time, this.pending.stream)];
  }

  private readLine(line: string): LogLine[] {
    const at = `line ${this.lineNo}`;
    const trimmed = line.trim();
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
      const obj = parseJson(trimmed);
      if (isRecord(obj)) return this.readJsonObject(obj, trimmed, at);
    }
    let m = TAIL.exec(line);
    if (m) return [withMeta({ text: m[3]!, at }, awsTime(m[1]), m[2])];
    m = STAMPED.exec(line);
    if (m) return [withMeta({ text: m[2]!, at }, awsTime(m[1]))];
    return [{ text: line, at }];
  }

  private readJsonObject(obj: Record<string, unknown>, raw: string, at: string): LogLine[] {
    if (Array.isArray(obj.events)) {
      // A whole compact `filter-log-events` document on one line.
      const out: LogLine[] = [];
      for (const ev of obj.events) {
        if (isRecord(ev) && typeof ev.message === 'string') {
          out.push(withMeta({ text: ev.message, at: `events[${this.event++}].message` }, awsTime(ev.timestamp), str(ev.logStreamName)));
        }
      }
      return out;
    }
    if (typeof obj.message === 'string' && ('ingestionTime' in obj || 'eventId' in obj || 'logStreamName' in obj)) {
      return [withMeta({ text: obj.message, at }, awsTime(obj.timestamp), str(obj.logStreamName))];
    }
    if (typeof obj.log === 'string' && ('stream' in obj || 'time' in obj)) {
      // docker's json-file driver: {"log":"...\n","stream":"stderr","time":"..."}
      return [withMeta({ text: obj.log.replace(/\r?\n$/, ''), at }, awsTime(obj.time))];
    }
    return [withMeta({ text: raw, at }, awsTime(obj.time ?? obj.timestamp))];
  }
}

function withMeta(l: LogLine, time?: string, stream?: string): LogLine {
  if (time) l.time = time;
  if (stream) l.stream = stream;
  return l;
}

function parseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
