import type { Edit } from '../edit.js';
import type { Applied, ExecuteContext, Executor, Snapshot } from './executor.js';
import { Why137Error } from '../../errors/why137-error.js';
import { KubernetesApiError } from '../../sources/kubernetes/kubernetes-api-error.js';
import { asRecord } from '../../artifacts/kubernetes/as-record.js';
import { envState, type EnvState } from './env-state.js';
import { envValue } from './env-value.js';
import { fingerprint } from './fingerprint.js';
import { kubernetesWorkloadApi } from './kubernetes-workload-api.js';
import { restoredEnvValue } from './restored-env-value.js';
import { reviseKubernetes } from './revise-kubernetes.js';
import { changedFields } from './changed-fields.js';

type KubernetesEdit = Extract<Edit, { platform: 'kubernetes' }>;
type Obj = Record<string, unknown>;

// Where the pod template's spec sits in each workload kind.
const POD_SPEC: Record<KubernetesEdit['workload']['kind'], string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
// The fields an edit changes (in the order the audit shows them); identity fields are not among them.
const EDITED = ['limitsMemory', 'requestsMemory', 'terminationGracePeriodSeconds', 'env'] as const;

/** The workload's state as far as the edit touches it, plus the current raw values of the edited variables (never stored). */
interface View {
  resourceVersion: string;
  state: Obj;
  fingerprint: string;
  values: Map<string, string | undefined>;
}

/**
 * Kubernetes: strategic-merge PATCH of the owning workload's pod template, only the edited container's memory
 * resources and env (or the pod's terminationGracePeriodSeconds), with `metadata.resourceVersion` as the
 * precondition: a 409 means someone else wrote in between. Env flags merge into the existing value; other
 * variables are never read into state.
 */
export const kubernetesExecutor: Executor<KubernetesEdit> = {
  platform: 'kubernetes',

  async snapshot(edit, ctx) {
    const v = view(edit, await read(edit, ctx));
    return { fingerprint: v.fingerprint, state: v.state };
  },

  async apply(edit, expected, ctx) {
    const now = view(edit, await read(edit, ctx));
    ensureUnchanged(edit, expected, now);
    const env = (edit.env ?? []).map((e) => ({ name: e.name, value: envValue(e, now.values.get(e.name)) }));
    const body = patchBody(edit, now.resourceVersion, {
      ...(edit.limitsMemory !== undefined ? { limitsMemory: edit.limitsMemory } : {}),
      ...(edit.requestsMemory !== undefined ? { requestsMemory: edit.requestsMemory } : {}),
      ...(edit.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: edit.terminationGracePeriodSeconds } : {}),
      ...(env.length > 0 ? { env } : {}),
    });
    const after = view(edit, await patch(edit, body, ctx));
    return applied(edit, now.state, after, 'rollout started');
  },

  async rollback(edit, done, ctx) {
    const now = view(edit, await read(edit, ctx));
    const moved = changedFields(pick(done.after), pick(now.state));
    if (moved.length > 0) {
      throw new Why137Error('why137_target_changed', `${name(edit)}: ${moved.join(', ')} changed since why137 applied its edit; nothing was rolled back`);
    }
    const before = done.before;
    const envBefore = (before.env ?? {}) as Record<string, EnvState>;
    const env = (edit.env ?? []).map((e) => ({ name: e.name, value: restoredEnvValue(envBefore[e.name] ?? { exists: false }, now.values.get(e.name)) }));
    const body = patchBody(edit, now.resourceVersion, {
      ...(edit.limitsMemory !== undefined ? { limitsMemory: before.limitsMemory as string | null } : {}),
      ...(edit.requestsMemory !== undefined ? { requestsMemory: before.requestsMemory as string | null } : {}),
      ...(edit.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: before.terminationGracePeriodSeconds as number | null } : {}),
      ...(env.length > 0 ? { env } : {}),
    });
    const after = view(edit, await patch(edit, body, ctx));
    return applied(edit, now.state, after, 'rolled back, rollout started');
  },

  revise: (edit, value) => reviseKubernetes(edit, value),
};

function name(edit: KubernetesEdit): string {
  return `${edit.workload.kind} ${edit.namespace}/${edit.workload.name}`;
}

function read(edit: KubernetesEdit, ctx: ExecuteContext): Promise<Obj> {
  return call(edit, () => kubernetesWorkloadApi.read(ctx.clients.kubernetes(edit.context), edit.workload.kind, { name: edit.workload.name, namespace: edit.namespace }, ctx.signal));
}

function patch(edit: KubernetesEdit, body: Obj, ctx: ExecuteContext): Promise<Obj> {
  return call(edit, () => kubernetesWorkloadApi.patch(ctx.clients.kubernetes(edit.context), edit.workload.kind, { name: edit.workload.name, namespace: edit.namespace }, body, ctx.signal));
}

/** API errors that say something about the target become coded errors; the rest (network, 5xx) pass as they are. */
async function call(edit: KubernetesEdit, fn: () => Promise<Obj>): Promise<Obj> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof KubernetesApiError)) throw err;
    if (err.code === 409) throw new Why137Error('why137_target_changed', `${name(edit)} was changed by someone else while why137 wrote to it (${err.message}); nothing was changed`, { cause: err });
    if (err.code === 404) throw new Why137Error('why137_target_changed', `${name(edit)} no longer exists (${err.message})`, { cause: err });
    if (err.code === 422) throw new Why137Error('why137_invalid_value', `${name(edit)} refused the change: ${err.message}`, { cause: err });
    throw err;
  }
}

function view(edit: KubernetesEdit, obj: Obj): View {
  const meta = asRecord(obj.metadata) ?? {};
  const podSpec = POD_SPEC[edit.workload.kind].reduce<Obj | undefined>((o, k) => asRecord(o?.[k]), obj);
  const containers = Array.isArray(podSpec?.containers) ? podSpec.containers.map(asRecord) : [];
  const container = containers.find((c) => c?.name === edit.container);
  if (!container) throw new Why137Error('why137_target_changed', `${name(edit)} has no container ${edit.container} any more`);
  const resources = asRecord(container.resources);
  const quantity = (group: string): string | null => {
    const q = asRecord(resources?.[group])?.memory;
    return q === undefined || q === null ? null : String(q);
  };
  const values = new Map<string, string | undefined>();
  const env: Record<string, EnvState> = {};
  const entries = Array.isArray(container.env) ? container.env.map(asRecord) : [];
  for (const e of edit.env ?? []) {
    const entry = entries.find((x) => x?.name === e.name);
    if (entry?.valueFrom !== undefined) {
      throw new Why137Error('why137_target_invalid', `${name(edit)}: ${e.name} in container ${edit.container} comes from valueFrom (a ConfigMap, Secret or field): change it where it comes from`);
    }
    const current = entry === undefined ? undefined : typeof entry.value === 'string' ? entry.value : '';
    values.set(e.name, current);
    env[e.name] = envState(e, current);
  }
  const state: Obj = {
    workload: name(edit),
    container: edit.container,
    resourceVersion: String(meta.resourceVersion ?? ''),
    ...(typeof meta.generation === 'number' ? { generation: meta.generation } : {}),
    limitsMemory: quantity('limits'),
    requestsMemory: quantity('requests'),
    ...(edit.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: typeof podSpec?.terminationGracePeriodSeconds === 'number' ? podSpec.terminationGracePeriodSeconds : null } : {}),
    ...(edit.env !== undefined ? { env } : {}),
  };
  // NOTE: status writes (replica counts flapping while a pod crash-loops) bump resourceVersion every few
  // seconds; `generation` moves only when the spec does. The fingerprint follows the spec and the edited
  // fields, and the PATCH carries the resourceVersion read just before it, so a concurrent write is a 409.
  const identity = { uid: meta.uid ?? null, generation: typeof meta.generation === 'number' ? meta.generation : state.resourceVersion };
  return { resourceVersion: String(state.resourceVersion), state, fingerprint: fingerprint({ ...identity, ...pick(state) }), values };
}

function pick(state: Obj): Obj {
  const out: Obj = {};
  for (const k of EDITED) if (state[k] !== undefined) out[k] = state[k];
  return out;
}

function ensureUnchanged(edit: KubernetesEdit, expected: Snapshot, now: View): void {
  if (now.fingerprint === expected.fingerprint) return;
  const moved = changedFields(expected.state, now.state, ['resourceVersion']);
  const what = moved.length > 0 ? moved.join(', ') : 'its spec';
  throw new Why137Error('why137_target_changed', `${name(edit)}: ${what} changed since the proposal was made; nothing was changed, diagnose it again`);
}

interface Values {
  limitsMemory?: string | null;
  requestsMemory?: string | null;
  terminationGracePeriodSeconds?: number | null;
  env?: { name: string; value: string | null }[];
}

/**
 * The strategic-merge patch: only the edited container (merged by name) and its memory quantities and env
 * entries (merged by name; `$patch: delete` removes one, as `kubectl set env NAME-` does), null removes a
 * field, and `metadata.resourceVersion` makes the API server refuse it (409) if the object moved on.
 */
function patchBody(edit: KubernetesEdit, resourceVersion: string, v: Values): Obj {
  const container: Obj = { name: edit.container };
  const resources: Obj = {};
  if (v.limitsMemory !== undefined) resources.limits = { memory: v.limitsMemory };
  if (v.requestsMemory !== undefined) resources.requests = { memory: v.requestsMemory };
  if (Object.keys(resources).length > 0) container.resources = resources;
  if (v.env) container.env = v.env.map((e) => (e.value === null ? { name: e.name, $patch: 'delete' } : { name: e.name, value: e.value }));
  const podSpec: Obj = {};
  if (v.terminationGracePeriodSeconds !== undefined) podSpec.terminationGracePeriodSeconds = v.terminationGracePeriodSeconds;
  if (Object.keys(container).length > 1) podSpec.containers = [container];
  const spec = POD_SPEC[edit.workload.kind].reduceRight<Obj>((inner, key) => ({ [key]: inner }), podSpec);
  return { metadata: { resourceVersion }, ...spec };
}

function applied(edit: KubernetesEdit, before: Obj, after: View, note: string): Applied {
  const changes = changedFields(pick(before), pick(after.state), [], true);
  const when = edit.workload.kind === 'CronJob' ? note.replace('rollout started', 'applies from the next scheduled run') : note;
  return {
    before,
    after: after.state,
    detail: `${name(edit)} container ${edit.container}: ${changes.length > 0 ? changes.join(', ') : 'no change'} (${when})`,
    undo: { resourceVersion: after.resourceVersion },
  };
}
