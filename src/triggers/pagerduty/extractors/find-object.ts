/**
 * The first object (breadth-first, at most `depth` levels down, JSON text parsed) that `test` accepts:
 * monitors nest the event they forward under their own keys (`detail`, `event`, `Message`, …).
 */
export function findObject(root: unknown, test: (o: Record<string, unknown>) => boolean, depth = 3): Record<string, unknown> | undefined {
  let level: unknown[] = [root];
  for (let d = 0; d <= depth && level.length > 0; d++) {
    const next: unknown[] = [];
    for (let v of level) {
      if (typeof v === 'string' && v.trimStart().startsWith('{') && v.length < 256 * 1024) {
        try { v = JSON.parse(v) as unknown; } catch { continue; }
      }
      if (typeof v !== 'object' || v === null) continue;
      if (!Array.isArray(v) && test(v as Record<string, unknown>)) return v as Record<string, unknown>;
      next.push(...Object.values(v));
    }
    level = next;
  }
  return undefined;
}
