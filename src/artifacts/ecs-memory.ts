const MIB = 1024 * 1024;

/**
 * ECS memory to bytes. ECS counts memory in MiB: container `memory`/`memoryReservation` are integers,
 * task `memory` a string (`"512"`); at registration a task's `"1GB"`/`"1 GB"` means 1024 MiB, so GB here is GiB.
 */
export function ecsMemoryBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value * MIB) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(MiB|MB|M|GiB|GB|G)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!(n > 0)) return undefined;
  return Math.round(/^g/i.test(m[2] ?? '') ? n * 1024 * MIB : n * MIB);
}
