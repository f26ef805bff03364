// V8 keeps a substring (13+ chars) as a view into its parent: an excerpt cut from a long log line would pin
// that whole line. Kept evidence must own its strings or a long log's memory grows.
const MIN_SLICED = 13;

/**
 * Replaces, in place, every string inside `value` by a copy that owns its characters; returns `value`.
 * A string found twice (an excerpt quoted by an invocation and by its memory sample) is copied once.
 */
export function ownStrings<T>(value: T): T {
  return ownIn(value, new Map()) as T;
}

/** A copy of `s` that owns its characters (short strings, and undefined, as they are). */
export function ownString<T extends string | undefined>(s: T): T {
  return (s === undefined || s.length < MIN_SLICED ? s : Buffer.from(s, 'utf8').toString('utf8')) as T;
}

function ownIn(v: unknown, copies: Map<string, string>): unknown {
  if (typeof v === 'string') {
    if (v.length < MIN_SLICED) return v;
    let copy = copies.get(v);
    if (copy === undefined) copies.set(v, (copy = ownString(v)));
    return copy;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = ownIn(v[i], copies);
  } else if (typeof v === 'object' && v !== null) {
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) obj[key] = ownIn(obj[key], copies);
  }
  return v;
}
