// V8's --trace-gc line Node prints under "<--- Last few GCs --->" before a heap abort:
// `[8:0x5a3f2c0]   98765 ms: Mark-Compact 2040.3 (2058.5) -> 2039.8 (2058.5) MB, 1234.5 / 0.0 ms ...`
// (older Node says Mark-sweep; Node 20 adds "(reduce)"). Sizes are V8's MB (MiB).
const GC_LINE = /Mark-(?:Compact|sweep)(?: \(reduce\))?\s+([\d.]+)\s+\(([\d.]+)\)\s*->\s*([\d.]+)\s+\(([\d.]+)\)\s*MB/;

/** The live heap after a full GC in a Node GC trace line, in MB, or null when the line is not one. */
export function nodeGcHeapMb(line: string): number | null {
  const m = line.includes('Mark-') ? GC_LINE.exec(line) : null;
  if (!m) return null;
  const after = Number(m[3]);
  return Number.isFinite(after) ? after : null;
}
