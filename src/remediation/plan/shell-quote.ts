// Characters that never need quoting in a POSIX shell word (names, quantities, flags, ARNs, paths).
const PLAIN_WORD = /^[A-Za-z0-9_.,:/=@%+-]+$/;

/** Quotes a word for a POSIX shell only when it needs it, so commands stay readable and paste safely. */
export function shellQuote(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
