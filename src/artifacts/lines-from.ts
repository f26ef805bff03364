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
      let line: Buffer | undefined = chunk.subarray(start, nl);
      if (carry) { line = Buffer.concat([carry, line]); carry = undefined; }
      yield decode(line);
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
  if (carry && carry.length > 0) yield decode(carry);
}

function decode(line: Buffer): string {
  const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
  return line.toString('utf8', 0, end);
}
