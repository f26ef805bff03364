import type { EnvEdit } from '../edit.js';
import { goMemLimitMiB, heapCeilingMiB } from '../plan/sizing.js';

/**
 * An edit's runtime ceilings re-derived for a new memory size, as the planner derives them: Node's
 * --max-old-space-size and the JVM's -Xmx at 75%, GOMEMLIMIT at 90%. A percentage (MaxRAMPercentage)
 * follows the limit by itself and stays; other variables stay as they are.
 */
export function resizedEnv(env: readonly EnvEdit[] | undefined, limitBytes: number): EnvEdit[] | undefined {
  if (env === undefined) return undefined;
  return env.map((e): EnvEdit => {
    if (e.flag === '--max-old-space-size') return { ...e, value: String(heapCeilingMiB(limitBytes)) };
    if (e.flag === '-Xmx') return { ...e, value: `${heapCeilingMiB(limitBytes)}m` };
    if (e.flag === undefined && e.name === 'GOMEMLIMIT') return { ...e, value: `${goMemLimitMiB(limitBytes)}MiB` };
    return e;
  });
}
