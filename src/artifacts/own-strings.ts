// V8 keeps a substring (13+ chars) as a view into its parent: an excerpt cut from a streamed line would pin
// the whole 64 KiB chunk the line came from. Kept evidence must own its strings or a long log's memory grows.
const MIN_SLICED = 13;

/** Replaces, in place, every string inside `value` by a copy that owns its characters; returns `value`. */
export function ownStrings<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = own(value[i]);
  } else if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) obj[key] = own(obj[key]);
  }
  return value;
}

function own(v: unknown): unknown {
  if (typeof v === 'string') return v.length < MIN_SLICED ? v : Buffer.from(v, 'utf8').toString('utf8');
  return typeof v === 'object' && v !== null ? ownStrings(v) : v;
}
