/**
 * Yields the lines of `head` followed by the rest of a byte stream, holding at most one partial line
 * in memory. Lines keep no trailing `\r`. A line longer than MAX_LINE is cut (a log line that long is
 * noise for every parser and would otherwise make memory unbounded).
 *
 * NOTE: each line is decoded from its own bytes, so it is a flat string of its own. Slicing lines out
 * of one decoded chunk would make every kept substring (a request id, an excerpt) pin the whole 64 KiB
 * chunk it came from, and a 1 GB log would then hold hundreds of MB.
 */
const MAX_LINE = 1024 * 1024;
const NEWLINE = 10;
const CR = 13;

export async function* linesFrom(head: Buffer, rest: AsyncIterator<Buffer | string>): AsyncGenerator<string> {
  let carry: Buffer | undefined;
  let chunk: Buffer | undefined = head;
  while (chunk !== undefined) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      if (carry) {
        yield decode(Buffer.concat([carry, chunk.subarray(start, nl)]), 0, carry.length + nl - start);
        carry = undefined;
      } else {
        // Decoded straight from the chunk: no Buffer view per line.
        yield decode(chunk, start, nl);
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      carry = carry ? Buffer.concat([carry, tail]) : Buffer.from(tail);
      if (carry.length > MAX_LINE) carry = carry.subarray(0, MAX_LINE);
    }
    const next = await rest.next();
    chunk = next.done ? undefined : typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
  }
  if (carry && carry.length > 0) yield decode(carry, 0, carry.length);
}

/** The line in `buf` from `start` to `end` (exclusive) as a string of its own, without a trailing `\r`. */
function decode(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end > start && buf[end - 1] === CR ? end - 1 : end);
}
