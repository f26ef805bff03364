import { awsTime } from './aws-time.js';

/** One log message with its time and where it was read. */
export interface LogLine {
  /** The message itself, prefixes and JSON wrapping removed (may hold `\n` for a multi-line event). */
  text: string;
  /** `line 42`, or `events[3].message` inside a CloudWatch Logs JSON document (written out when read). */
  readonly at: string;
  time?: string;
  /** CloudWatch log stream (`aws logs tail` prefix, `logStreamName`). */
  stream?: string;
  /** `text` parsed, when it is a JSON object line passed on whole (so the caller need not parse it again). */
  json?: Record<string, unknown>;
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
    return [withMeta(new ReadLine(value, this.event++, true), this.pending.time, this.pending.stream)];
  }

  private readLine(line: string): LogLine[] {
    const n = this.lineNo;
    // Cheap tests on the first character spare most lines the patterns: only `{` (after blanks) can be
    // JSON, only a digit can start a timestamp, and a tail prefix's stream name holds a `/`.
    const c = line.charCodeAt(0);
    if (c === 0x7b || !(c > 0x20 && c < 0x7f)) {
      const trimmed = line.trim();
      if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
        const obj = parseJson(trimmed);
        if (isRecord(obj)) return this.readJsonObject(obj, trimmed, n);
      }
    }
    if (c >= 0x30 && c <= 0x39) {
      let m = line.includes('/') ? TAIL.exec(line) : null;
      if (m) return [withMeta(new ReadLine(m[3]!, n), awsTime(m[1]), m[2])];
      m = STAMPED.exec(line);
      if (m) return [withMeta(new ReadLine(m[2]!, n), awsTime(m[1]))];
    }
    return [new ReadLine(line, n)];
  }

  private readJsonObject(obj: Record<string, unknown>, raw: string, n: number): LogLine[] {
    if (Array.isArray(obj.events)) {
      // A whole compact `filter-log-events` document on one line.
      const out: LogLine[] = [];
      for (const ev of obj.events) {
        if (isRecord(ev) && typeof ev.message === 'string') {
          out.push(withMeta(new ReadLine(ev.message, this.event++, true), awsTime(ev.timestamp), str(ev.logStreamName)));
        }
      }
      return out;
    }
    if (typeof obj.message === 'string' && ('ingestionTime' in obj || 'eventId' in obj || 'logStreamName' in obj)) {
      return [withMeta(new ReadLine(obj.message, n), awsTime(obj.timestamp), str(obj.logStreamName))];
    }
    if (typeof obj.log === 'string' && ('stream' in obj || 'time' in obj)) {
      // docker's json-file driver: {"log":"...\n","stream":"stderr","time":"..."}
      return [withMeta(new ReadLine(obj.log.replace(/\r?\n$/, ''), n), awsTime(obj.time))];
    }
    const whole = new ReadLine(raw, n);
    whole.json = obj;
    return [withMeta(whole, awsTime(obj.time ?? obj.timestamp))];
  }
}

/**
 * A LogLine whose `at` is written out only when asked: most lines are never cited, and V8 keeps each number
 * it turns into a string in a cache, so a string per line would outlive scavenges (~24 MB per 100 MB of log).
 */
class ReadLine implements LogLine {
  declare time?: string;
  declare stream?: string;
  declare json?: Record<string, unknown>;

  constructor(readonly text: string, private readonly index: number, private readonly event = false) {}

  get at(): string {
    return this.event ? `events[${this.index}].message` : `line ${this.index}`;
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
