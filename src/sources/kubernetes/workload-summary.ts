import { asRecord } from '../../artifacts/kubernetes/as-record.js';

/**
 * A workload object cut to what a diagnosis and a resize need: kind, identity (name, namespace, uid,
 * resourceVersion, generation) and each pod-template container's name, resources and env NAMES. Env values
 * (secrets, often) never leave this function. CronJobs keep their jobTemplate nesting.
 */
export function workloadSummary(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = asRecord(obj.metadata) ?? {};
  const identity: Record<string, unknown> = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'generation']) if (meta[k] !== undefined) identity[k] = meta[k];
  const spec = asRecord(obj.spec);
  const cron = obj.kind === 'CronJob';
  const template = asRecord(cron ? asRecord(asRecord(spec?.jobTemplate)?.spec)?.template : spec?.template);
  const podSpec = asRecord(template?.spec);
  const cut: Record<string, unknown> = {};
  for (const group of ['initContainers', 'containers'] as const) {
    const list = podSpec?.[group];
    if (!Array.isArray(list)) continue;
    cut[group] = list.map(asRecord).filter((c) => c !== undefined).map((c) => ({
      name: c.name,
      ...(c.restartPolicy !== undefined ? { restartPolicy: c.restartPolicy } : {}),
      resources: c.resources ?? {},
      ...(Array.isArray(c.env) ? { env: c.env.map((e) => ({ name: asRecord(e)?.name })) } : {}),
    }));
  }
  const templateCut = { spec: cut };
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: identity,
    spec: cron ? { jobTemplate: { spec: { template: templateCut } } } : { template: templateCut },
  };
}
