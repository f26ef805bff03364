/** Milliseconds since the epoch for an ISO time (or epoch seconds/ms as a number-like string); undefined otherwise. */
export function toEpochMs(value?: string | number): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number' || /^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    return n > 1e12 ? n : n * 1000;
  }
  // Kubernetes/Docker zero times mean "never".
  if (value.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
