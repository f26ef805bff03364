const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * A Kubernetes memory quantity in bytes (`1536Mi`, `1.5Gi`, `2G`, `1e9`, `805306368`), or null when it is not one.
 * A lower-case `m` (milli) is refused: `768m` is 0.768 bytes, a classic slip for `768Mi`.
 */
export function parseKubernetesQuantity(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)(?:([KMGTPE]i)|([kMGTPE]?)|[eE](\d+))\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const factor = m[2] !== undefined ? BINARY[m[2]]! : m[4] !== undefined ? 10 ** Number(m[4]) : DECIMAL[m[3] ?? '']!;
  const bytes = n * factor;
  return Number.isFinite(bytes) && Number.isInteger(bytes) ? bytes : Number.isFinite(bytes) ? Math.ceil(bytes) : null;
}
