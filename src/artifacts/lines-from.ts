/**
 * Yields the lines of `head` followed by the rest of a byte stream, holding at most one partial line
 * in memory. Lines keep no trailing `\r`. A line longer than MAX_LINE is cut (a log line that long is
 * noise for every parser and would otherwise make memory unbounded).
 */
const MAX_LINE = 1024 * 1024;

export async function* linesFrom(head: Buffer, rest: AsyncIterator<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let chunk: Buffer | string | undefined = head;
  while (chunk !== undefined) {
    carry += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = carry.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && carry.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield carry.slice(start, end);
      start = nl + 1;
    }
    carry = carry.slice(start);
    if (carry.length > MAX_LINE) carry = carry.slice(0, MAX_LINE);
    const next = await rest.next();
    chunk = next.done ? undefined : next.value;
  }
  carry += decoder.decode();
  if (carry.length > 0) yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
}
