import type { Runbook } from './runbook-schema.js';
import type { TargetKind } from '../targets/target.js';
import { Why137Error } from '../errors/why137-error.js';

/** The built-in runbook for each target kind (a user runbook with the same name replaces it). */
const DEFAULT_RUNBOOK: Record<TargetKind, string> = {
  'k8s': 'kubernetes-pod',
  'k8s-workload': 'kubernetes-workload',
  'ecs': 'ecs-task',
  'ecs-service': 'ecs-service',
  'docker': 'docker-container',
  'lambda': 'lambda-function',
  'host': 'host',
};

/** The runbook to run for a target: the one named (`--runbook`), else the kind's default, else the only one for the kind. */
export function pickRunbook(runbooks: ReadonlyMap<string, Runbook>, kind: TargetKind, name?: string): Runbook {
  const forKind = [...runbooks.values()].filter((r) => r.target === kind);
  const list = forKind.map((r) => r.name).join(', ') || '(none)';
  if (name !== undefined) {
    const rb = runbooks.get(name);
    if (!rb) throw new Why137Error('why137_usage', `--runbook ${name}: no such runbook; expected one of: ${[...runbooks.keys()].sort().join(', ')}`);
    if (rb.target !== kind) throw new Why137Error('why137_usage', `--runbook ${name}: it is for ${rb.target} targets, not ${kind}; expected one of: ${list}`);
    return rb;
  }
  const def = runbooks.get(DEFAULT_RUNBOOK[kind]);
  if (def && def.target === kind) return def;
  if (forKind.length === 1) return forKind[0]!;
  throw new Why137Error('why137_runbook_invalid', forKind.length === 0
    ? `no runbook for ${kind} targets; expected a runbook with target: ${kind} named ${DEFAULT_RUNBOOK[kind]}`
    : `several runbooks for ${kind} targets (${list}) and none named ${DEFAULT_RUNBOOK[kind]}; expected --runbook NAME`);
}
