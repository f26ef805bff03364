import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import type { Evidence } from '../diagnosis/evidence.js';
import { Why137Error } from '../errors/why137-error.js';
import { toWhy137Error } from '../errors/to-why137-error.js';
import type { ArtifactKind, ArtifactParser, StructuredParser, TextParser } from './artifact-parser.js';
import { parsers } from './index.js';
import { linesFrom } from './lines-from.js';

/** Bytes looked at to decide what an input is. */
const HEAD_BYTES = 64 * 1024;
// JSON and YAML are parsed whole; real `describe-*`/`get -o json` output is far below this. Logs stream.
const MAX_STRUCTURED_BYTES = 256 * 1024 * 1024;

export interface ArtifactResult {
  file: string;
  kind: ArtifactKind;
  evidence: Evidence[];
}

const all: ArtifactParser[] = Object.values(parsers);
const structured = all.filter((p): p is StructuredParser => p.format === 'structured');
const text = all.filter((p): p is TextParser => p.format === 'text');
const expectedList = all.map((p) => p.expected).join(', ');

/** Reads one input (a path, or `-` for standard input), detects its kind from content and parses it. */
export async function readArtifact(file: string, stdin: Readable = process.stdin): Promise<ArtifactResult> {
  let stream: Readable;
  if (file === '-') {
    stream = stdin;
  } else {
    try {
      const st = await stat(file);
      if (st.isDirectory()) throw new Why137Error('why137_artifact_unreadable', `${file}: is a directory; expected a file (use ${file}/* for its files)`);
    } catch (err) {
      if (err instanceof Why137Error) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? 'error'})`;
      throw new Why137Error('why137_artifact_unreadable', `${file}: ${why}; expected a readable file or - for standard input`, { cause: err });
    }
    stream = createReadStream(file);
  }
  try {
    return await readStream(file, stream);
  } catch (err) {
    throw toWhy137Error(err, file);
  } finally {
    if (file !== '-') stream.destroy();
  }
}

/** Parses an artifact a live source collected (same detection and parsers as a file). `name` is cited as the file. */
export async function readArtifactContent(name: string, content: string): Promise<ArtifactResult> {
  try {
    return await readStream(name, Readable.from([Buffer.from(content)]));
  } catch (err) {
    throw toWhy137Error(err, name);
  }
}

async function readStream(file: string, stream: Readable): Promise<ArtifactResult> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) { ended = true; break; }
    const buf = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(buf);
    size += buf.length;
  }
  const headBuf = Buffer.concat(chunks);
  if (headBuf.toString('utf8').trim() === '') {
    throw new Why137Error('why137_artifact_empty', `${file}: is empty; expected one of: ${expectedList}`);
  }
  if (looksBinary(headBuf.subarray(0, HEAD_BYTES))) {
    throw new Why137Error('why137_artifact_binary', `${file}: is binary data; expected text, JSON or YAML (${expectedList})`);
  }
  const head = headBuf.toString('utf8');
  const first = head.trimStart()[0];
  const jsonLike = first === '{' || first === '[';
  const yamlLike = !jsonLike && /^(?:---[^\n]*\n|#[^\n]*\n|\s*\n)*[A-Za-z_][\w.-]*:(?:\s|$)/.test(head);

  if (jsonLike || yamlLike) {
    // A text parser may claim JSON-lines input (journalctl -o json, docker events --format json).
    const textFirst = text.find((p) => p.detect(head));
    if (jsonLike && textFirst && !ended && !isSingleJsonDocument(head)) {
      return { file, kind: textFirst.kind, evidence: await textFirst.parse(linesFrom(headBuf, iterator), file) };
    }
    const all = ended ? headBuf : await drain(file, headBuf, iterator);
    const body = all.toString('utf8');
    const docs = parseStructured(body, jsonLike);
    if (docs.ok) {
      for (const parser of structured) {
        const matching = docs.values.filter((d) => parser.detect(d));
        if (matching.length > 0) {
          return { file, kind: parser.kind, evidence: matching.flatMap((d) => parser.parse(d, file)) };
        }
      }
    }
    const textParser = text.find((p) => p.detect(head));
    if (textParser) {
      return { file, kind: textParser.kind, evidence: await textParser.parse(linesFrom(all, emptyIterator()), file) };
    }
    if (!docs.ok) {
      throw new Why137Error('why137_artifact_malformed', `${file}: malformed ${jsonLike ? 'JSON' : 'YAML'} (${docs.error}); expected one of: ${expectedList}`);
    }
    throw new Why137Error('why137_artifact_unrecognized', `${file}: ${jsonLike ? 'JSON' : 'YAML'} of an unrecognised shape; expected one of: ${expectedList}`);
  }

  const parser = text.find((p) => p.detect(head));
  if (!parser) {
    // Application output may print its runtime's OOM message long after the first 64 KiB: read it all
    // as container output, and only call it unrecognised if no such message turns up.
    const evidence = await parsers['container.log'].parse(linesFrom(headBuf, ended ? emptyIterator() : iterator), file);
    if (evidence.some((e) => e.kind === 'runtime.heap')) return { file, kind: 'container.log', evidence };
    throw new Why137Error('why137_artifact_unrecognized', `${file}: text of an unrecognised kind; expected one of: ${expectedList}`);
  }
  return { file, kind: parser.kind, evidence: await parser.parse(linesFrom(headBuf, ended ? emptyIterator() : iterator), file) };
}

function looksBinary(buf: Buffer): boolean {
  if (buf.includes(0)) return true;
  const decoded = buf.toString('utf8');
  // U+FFFD marks bytes that are not UTF-8; a few may be a cut multibyte char at the head's edge.
  let bad = 0;
  for (const ch of decoded) if (ch === '\uFFFD') bad++;
  return bad > 8 && bad / decoded.length > 0.01;
}

function isSingleJsonDocument(head: string): boolean {
  try { JSON.parse(head); return true; } catch { return false; }
}

async function drain(file: string, headBuf: Buffer, iterator: AsyncIterator<Buffer | string>): Promise<Buffer> {
  const chunks = [headBuf];
  let size = headBuf.length;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const buf = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    size += buf.length;
    if (size > MAX_STRUCTURED_BYTES) {
      throw new Why137Error('why137_artifact_invalid', `${file}: JSON/YAML larger than ${MAX_STRUCTURED_BYTES / 1024 / 1024} MiB; expected a single object's output (filter it, e.g. with --query)`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

type Parsed = { ok: true; values: unknown[] } | { ok: false; error: string };

function parseStructured(body: string, json: boolean): Parsed {
  if (json) {
    try {
      return { ok: true, values: [JSON.parse(body)] };
    } catch (err) {
      return { ok: false, error: (err as Error).message.split('\n')[0] ?? 'invalid JSON' };
    }
  }
  try {
    const docs = parseAllDocuments(body, { uniqueKeys: false });
    if (!Array.isArray(docs)) return { ok: false, error: 'not a YAML document stream' };
    const values: unknown[] = [];
    for (const doc of docs) {
      if (doc.errors.length > 0) return { ok: false, error: doc.errors[0]!.message.split('\n')[0] ?? 'invalid YAML' };
      const v: unknown = doc.toJS({ maxAliasCount: 100 });
      if (v !== null && v !== undefined) values.push(v);
    }
    return values.length > 0 ? { ok: true, values } : { ok: false, error: 'no YAML document' };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0] ?? 'invalid YAML' };
  }
}

function emptyIterator(): AsyncIterator<Buffer> {
  return { next: async () => ({ done: true, value: undefined }) };
}
