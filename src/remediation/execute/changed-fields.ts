const LABELS: Record<string, string> = {
  limitsMemory: 'limits.memory',
  requestsMemory: 'requests.memory',
  memoryMiB: 'memory',
  memoryReservationMiB: 'memoryReservation',
  taskMemory: 'task memory',
  taskCpu: 'task cpu',
  memorySizeMb: 'MemorySize',
  memoryBytes: 'Memory',
  memorySwapBytes: 'MemorySwap',
};
const MIB = 1024 * 1024;

/**
 * The fields that differ between two snapshot states, as a person reads them: `limits.memory`, or with
 * values `limits.memory 512Mi → 768Mi`, `NODE_OPTIONS --max-old-space-size (unset) → 576`. Env states
 * hold only the edited flags, so nothing else of a variable can appear here.
 */
export function changedFields(a: Record<string, unknown>, b: Record<string, unknown>, ignore: readonly string[] = [], withValues = false): string[] {
  const x = flatten(a, ignore);
  const y = flatten(b, ignore);
  const out: string[] = [];
  for (const key of new Set([...x.keys(), ...y.keys()])) {
    const before = x.get(key) ?? '(unset)';
    const after = y.get(key) ?? '(unset)';
    if (before !== after) out.push(withValues ? `${key} ${before} → ${after}` : key);
  }
  return out;
}

function flatten(state: Record<string, unknown>, ignore: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(state)) {
    if (ignore.includes(key) || value === undefined) continue;
    if (key === 'env' && value && typeof value === 'object') {
      for (const [name, s] of Object.entries(value as Record<string, { exists?: boolean; flags?: Record<string, string | null>; value?: string | null }>)) {
        if (s.flags) for (const [flag, v] of Object.entries(s.flags)) out.set(`${name} ${flag}`, v === null ? '(unset)' : v === '' ? 'set' : v);
        else out.set(name, s.exists && s.value !== null && s.value !== undefined ? s.value : '(unset)');
      }
      continue;
    }
    out.set(LABELS[key] ?? key, show(key, value));
  }
  return out;
}

function show(key: string, value: unknown): string {
  if (value === null) return '(unset)';
  if (typeof value === 'number' && key.endsWith('Bytes')) return value > 0 && value % MIB === 0 ? `${value / MIB}m` : String(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
