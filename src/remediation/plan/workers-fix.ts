import type { CauseCode, FactorCode } from '../../diagnosis/verdict.js';
import type { PlanContext } from './plan-context.js';
import type { RuntimeFix } from './runtime.js';
import { FALLBACK_WORKERS } from './sizing.js';

/**
 * reduce_workers: an explicit worker count from the container's CPU limit, for gunicorn/celery/uvicorn
 * sized from the host's CPU count. Advice: the count lives in the command or a config file.
 */
export function workersFix(ctx: PlanContext, addresses: (CauseCode | FactorCode)[], limit: string): RuntimeFix {
  const cores = cpuCores(ctx);
  const count = cores !== undefined ? Math.max(1, Math.ceil(cores)) : FALLBACK_WORKERS;
  const cmd = ctx.command.join(' ');
  const flag = /\bcelery\b/.test(cmd) ? `--concurrency ${count}` : /\bgunicorn\b/.test(cmd) ? `--workers ${count}` : `WEB_CONCURRENCY=${count} (or the server's workers option)`;
  const basis = cores !== undefined ? `the container's CPU limit (${cores})` : `a fixed ${FALLBACK_WORKERS} (the CPU limit is not in the evidence)`;
  return {
    kind: 'workers', action: 'reduce_workers', title: `Set an explicit worker count of ${count}`,
    changes: [{ field: 'workers', before: ctx.settings.workers !== undefined ? String(ctx.settings.workers) : 'CPU count', after: String(count) }],
    manual: `the worker count is derived from the CPU count in the command or config: set it explicitly with ${flag}`,
    why: `The worker count comes from the CPU count, which inside a container is the host's CPUs, not the container's share; every worker costs memory, so a big host starts more workers than ${limit} holds. An explicit count from ${basis} bounds it.`,
    risk: 'Fewer workers serve fewer concurrent requests: watch latency and queue depth, and raise the count one at a time while watching memory.',
    addresses,
  };
}

/** The container's CPU limit in cores, from the limits evidence (`500m`, `2`, ECS `1024` units, `1 vCPU`). */
function cpuCores(ctx: PlanContext): number | undefined {
  for (const raw of [ctx.containerLimits?.cpu, ctx.groupLimits?.cpu]) {
    const cores = raw === undefined ? undefined : parseCores(raw.trim(), ctx.platform === 'ecs');
    // ECS container cpu 0 means "no reservation": the task's CPU is the bound then.
    if (cores !== undefined && cores > 0) return cores;
  }
  return undefined;
}

function parseCores(text: string, ecsUnits: boolean): number | undefined {
  let m = /^(\d+(?:\.\d+)?)\s*m$/.exec(text);
  if (m) return Number(m[1]) / 1000;
  m = /^(\d+(?:\.\d+)?)\s*vcpu$/i.exec(text);
  if (m) return Number(m[1]);
  m = /^(\d+(?:\.\d+)?)$/.exec(text);
  if (!m) return undefined;
  return ecsUnits ? Number(m[1]) / 1024 : Number(m[1]);
}
