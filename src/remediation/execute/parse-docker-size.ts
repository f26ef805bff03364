const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * A size as `docker run --memory` reads it (go-units RAMInBytes): a number with an optional b, k, m, g or t
 * (any case, optionally followed by `b`), binary multiples; a bare number is bytes. Null when it is not one.
 */
export function parseDockerSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)b?\s*$/i.exec(text);
  if (!m) return null;
  const bytes = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  return Number.isFinite(bytes) ? Math.floor(bytes) : null;
}
