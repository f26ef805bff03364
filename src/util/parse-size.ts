/**
 * Parses a size with the suffixes runtimes use, to bytes: JVM `-Xmx` (`512m`, `2g`, `1024k`, bare bytes),
 * GOMEMLIMIT (`512MiB`, `1GiB`, `1e9`, bare bytes; Go's suffixes are binary B/KiB/MiB/GiB/TiB),
 * Docker (`512m`, `1g`, `512mb`). Single letters are binary multiples, as the JVM and Docker read them.
 */
export function parseSize(value: string): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const factors: Record<string, number> = {
    '': 1, b: 1,
    k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10,
    m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20,
    g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30,
    t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40,
  };
  const f = factors[unit];
  return f === undefined ? undefined : Math.round(n * f);
}
