import type { RuntimeHeapEvidence } from '../diagnosis/evidence.js';

export interface RuntimeOomMessage {
  runtime: RuntimeHeapEvidence['runtime'];
  message: string;
}

// Longest excerpt kept: the runtimes' own messages are short; anything after them is noise.
const MAX_MESSAGE = 240;

// Each runtime's own words when it runs out of its heap (or address space) and aborts. Order matters only
// where one message contains another runtime's word (Ruby's NoMemoryError vs Python's MemoryError).
const PATTERNS: { runtime: RuntimeOomMessage['runtime']; re: RegExp; wholeLine?: boolean }[] = [
  // FATAL ERROR: Reached heap limit / Ineffective mark-compacts near heap limit / CALL_AND_RETRY_LAST ...
  { runtime: 'node', re: /(?:FATAL ERROR:.*?)?JavaScript heap out of memory/ },
  // Java heap space, GC overhead limit exceeded, Metaspace, Direct buffer memory, Requested array size exceeds VM limit.
  { runtime: 'jvm', re: /java\.lang\.OutOfMemoryError\b(?::.*)?/ },
  { runtime: 'go', re: /fatal error: runtime: out of memory|runtime: out of memory: cannot allocate \d+-byte block.*/ },
  { runtime: 'dotnet', re: /System\.OutOfMemoryException\b(?::.*)?/ },
  // `failed to allocate memory (NoMemoryError)`: the words come before the class name.
  { runtime: 'ruby', re: /\bNoMemoryError\b/, wholeLine: true },
  // numpy's `_ArrayMemoryError: Unable to allocate 7.45 GiB` is a MemoryError subclass; CUDA's OutOfMemoryError is GPU memory.
  { runtime: 'python', re: /(?:(?<![\w.])|\b_Array)MemoryError\b(?::.*)?/ },
];

// `unable to create native thread` is thread or pid exhaustion, not a heap ceiling.
const NOT_HEAP = /OutOfMemoryError: unable to create (?:new )?native thread/;

/** Recognises a language runtime's own out-of-memory message in one log line. */
export function runtimeOomMessage(line: string): RuntimeOomMessage | null {
  // Every message below says "memory"/"Memory": a cheap test that spares most lines the patterns.
  if (!line.includes('emory') || NOT_HEAP.test(line)) return null;
  for (const p of PATTERNS) {
    const m = p.re.exec(line);
    if (!m) continue;
    const message = (p.wholeLine ? line : line.slice(m.index)).replace(/\x1b\[[0-9;]*m/g, '').trim();
    return { runtime: p.runtime, message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message };
  }
  return null;
}
