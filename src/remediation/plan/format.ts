import { MIB } from './sizing.js';

/** A size for prose: `768 MiB`, or bytes when it is not whole MiB. */
export function formatMiB(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${(bytes / MIB).toFixed(1)} MiB`;
}
