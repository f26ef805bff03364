import { readArtifact } from '../../../src/artifacts/read-artifact.js';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import type { Edit } from '../../../src/remediation/edit.js';
import type { ExecuteContext } from '../../../src/remediation/execute/executor.js';
import { kubernetesExecutor } from '../../../src/remediation/execute/kubernetes.js';
import { plan } from '../../../src/remediation/plan.js';
import { Why137Error } from '../../../src/errors/why137-error.js';
import { fixturePath } from '../../helpers/fixture-path.js';
import { fixtureText, startKubernetesHarness, type KubernetesHarness } from '../../sources/kubernetes-harness.js';

type KubernetesEdit = Extract<Edit, { platform: 'kubernetes' }>;
type Obj = Record<string, any>;

const PATH = '/apis/apps/v1/namespaces/shop/deployments/checkout-api';
const DEPLOYMENT: Obj = JSON.parse(fixtureText('kubernetes/api/deployment-checkout-api.json'));
const base = { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'Deployment', name: 'checkout-api' }, container: 'app' } as const;

/** The fixture Deployment with the app container's env replaced, at a given resourceVersion and generation. */
function deployment(env: { name: string; value?: string; valueFrom?: unknown }[] | undefined, meta: { resourceVersion?: string; generation?: number } = {}): Obj {
  const d = structuredClone(DEPLOYMENT);
  Object.assign(d.metadata, meta);
  if (env) d.spec.template.spec.containers[0].env = env;
  return d;
}

async function errorOf(p: Promise<unknown>): Promise<Why137Error> {
  try { await p; } catch (err) { if (err instanceof Why137Error) return err; throw err; }
  throw new Error('expected a Why137Error, nothing was thrown');
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return (await errorOf(p)).code;
}

describe('kubernetesExecutor against the loopback API', () => {
  let h: KubernetesHarness;
  let ctx: ExecuteContext;
  beforeAll(async () => {
    h = await startKubernetesHarness();
    ctx = { clients: h.clients, signal: new AbortController().signal };
  });
  afterAll(async () => { await h?.close(); });
  beforeEach(() => { h.api.reset(); });

  const stored = (): Obj => h.api.get(PATH) as Obj;
  const app = (): Obj => stored().spec.template.spec.containers[0];
  const patches = () => h.api.requestsTo(PATH, 'PATCH');

  test('a proposal planned from the recorded OOM pod: snapshot, strategic-merge PATCH with the resourceVersion, rollback', async () => {
    h.api.add(deployment(undefined));
    const { evidence } = await readArtifact(fixturePath('kubernetes', 'pod-oomkilled-crashloop.json'));
    const proposal = plan(diagnose(evidence), evidence).find((p) => p.action === 'raise_memory_limit')!;
    const edit = proposal.edit as KubernetesEdit;
    expect(edit).toEqual({ ...base, limitsMemory: '384Mi', requestsMemory: '384Mi' });

    const snap = await kubernetesExecutor.snapshot(edit, ctx);
    expect(snap.state).toEqual({
      workload: 'Deployment shop/checkout-api', container: 'app', resourceVersion: '48213402', generation: 9, limitsMemory: '256Mi', requestsMemory: '128Mi',
    });
    const done = await kubernetesExecutor.apply(edit, snap, ctx);

    const [patch] = patches();
    expect(patches()).toHaveLength(1);
    expect(patch!.headers['content-type']).toBe('application/strategic-merge-patch+json');
    expect(patch!.query.fieldManager).toBe('why137');
    expect(JSON.parse(patch!.body)).toEqual({
      metadata: { resourceVersion: '48213402' },
      spec: { template: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '384Mi' }, requests: { memory: '384Mi' } } }] } } },
    });
    // Only memory changed: cpu, env, the image are as they were.
    expect(app().resources).toEqual({ limits: { cpu: '500m', memory: '384Mi' }, requests: { cpu: '100m', memory: '384Mi' } });
    expect(app().env).toEqual(DEPLOYMENT.spec.template.spec.containers[0].env);
    expect(done.before).toMatchObject({ limitsMemory: '256Mi', requestsMemory: '128Mi' });
    expect(done.after).toMatchObject({ limitsMemory: '384Mi', requestsMemory: '384Mi', generation: 10 });
    expect(done.detail).toBe('Deployment shop/checkout-api container app: limits.memory 256Mi → 384Mi, requests.memory 128Mi → 384Mi (rollout started)');

    const rvAfterApply = stored().metadata.resourceVersion;
    const back = await kubernetesExecutor.rollback(edit, done, ctx);
    expect(JSON.parse(patches()[1]!.body)).toEqual({
      metadata: { resourceVersion: rvAfterApply },
      spec: { template: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '256Mi' }, requests: { memory: '128Mi' } } }] } } },
    });
    expect(app().resources).toEqual(DEPLOYMENT.spec.template.spec.containers[0].resources);
    expect(back.detail).toBe('Deployment shop/checkout-api container app: limits.memory 384Mi → 256Mi, requests.memory 384Mi → 128Mi (rolled back, rollout started)');
  });

  test('an env flag merges into the existing NODE_OPTIONS, keeping its other flags; other variables never reach the state', async () => {
    h.api.add(deployment([
      { name: 'DB_PASSWORD', value: 'hunter2-secret' },
      { name: 'NODE_OPTIONS', value: '--enable-source-maps --max-old-space-size=1024 --trace-warnings' },
    ]));
    const edit: KubernetesEdit = { ...base, limitsMemory: '768Mi', env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '576' }] };
    const snap = await kubernetesExecutor.snapshot(edit, ctx);
    expect(snap.state.env).toEqual({ NODE_OPTIONS: { exists: true, flags: { '--max-old-space-size': '1024' } } });
    const done = await kubernetesExecutor.apply(edit, snap, ctx);
    expect(JSON.parse(patches()[0]!.body).spec.template.spec.containers).toEqual([{
      name: 'app', resources: { limits: { memory: '768Mi' } },
      env: [{ name: 'NODE_OPTIONS', value: '--enable-source-maps --max-old-space-size=576 --trace-warnings' }],
    }]);
    expect(app().env).toEqual([
      { name: 'DB_PASSWORD', value: 'hunter2-secret' },
      { name: 'NODE_OPTIONS', value: '--enable-source-maps --max-old-space-size=576 --trace-warnings' },
    ]);
    expect(done.detail).toContain('NODE_OPTIONS --max-old-space-size 1024 → 576');
    for (const text of [JSON.stringify(snap), JSON.stringify(done)]) {
      for (const hidden of ['hunter2', 'DB_PASSWORD', '--enable-source-maps', '--trace-warnings']) expect(text).not.toContain(hidden);
    }

    await kubernetesExecutor.rollback(edit, done, ctx);
    expect(JSON.parse(patches()[1]!.body).spec.template.spec.containers[0].env).toEqual([
      { name: 'NODE_OPTIONS', value: '--enable-source-maps --max-old-space-size=1024 --trace-warnings' },
    ]);
    expect(app().env[1]).toEqual({ name: 'NODE_OPTIONS', value: '--enable-source-maps --max-old-space-size=1024 --trace-warnings' });
    expect(app().resources.limits.memory).toBe('256Mi');
  });

  test('JAVA_TOOL_OPTIONS: -Xmx out, MaxRAMPercentage in; a variable the edit created is deleted on rollback ($patch: delete)', async () => {
    h.api.add(deployment([{ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx1g -Dfile.encoding=UTF-8' }]));
    const edit: KubernetesEdit = {
      ...base, env: [
        { name: 'JAVA_TOOL_OPTIONS', flag: '-XX:MaxRAMPercentage', value: '75', remove: ['-Xmx', '-XX:MaxHeapSize', '-XX:-UseContainerSupport'] },
        { name: 'GOMEMLIMIT', value: '230MiB' },
      ],
    };
    const done = await kubernetesExecutor.apply(edit, await kubernetesExecutor.snapshot(edit, ctx), ctx);
    expect(JSON.parse(patches()[0]!.body).spec.template.spec.containers[0]).toEqual({
      name: 'app', env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=75 -Dfile.encoding=UTF-8' }, { name: 'GOMEMLIMIT', value: '230MiB' }],
    });
    await kubernetesExecutor.rollback(edit, done, ctx);
    // NOTE: the fake API does not implement the `$patch: delete` directive; the real API server (and
    // `kubectl set env NAME-`) removes the entry with exactly this body.
    expect(JSON.parse(patches()[1]!.body).spec.template.spec.containers[0].env).toEqual([
      { name: 'JAVA_TOOL_OPTIONS', value: '-Xmx1g -Dfile.encoding=UTF-8' },
      { name: 'GOMEMLIMIT', $patch: 'delete' },
    ]);
  });

  test('the spec changed between snapshot and apply: why137_target_changed, nothing written', async () => {
    h.api.add(deployment(undefined, { resourceVersion: '500', generation: 9 }));
    const edit: KubernetesEdit = { ...base, limitsMemory: '384Mi' };
    const snap = await kubernetesExecutor.snapshot(edit, ctx);
    const changed = deployment(undefined, { resourceVersion: '501', generation: 10 });
    changed.spec.template.spec.containers[0].resources.limits.memory = '320Mi';
    h.api.add(changed);
    const err = await errorOf(kubernetesExecutor.apply(edit, snap, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect(err.message).toContain('limits.memory changed since the proposal was made');
    expect(patches()).toHaveLength(0);
    expect(app().resources.limits.memory).toBe('320Mi');
  });

  test('a status write (resourceVersion moves, generation does not) is not a change: applied with the new resourceVersion', async () => {
    h.api.add(deployment(undefined, { resourceVersion: '600', generation: 9 }));
    const edit: KubernetesEdit = { ...base, limitsMemory: '384Mi' };
    const snap = await kubernetesExecutor.snapshot(edit, ctx);
    h.api.add(deployment(undefined, { resourceVersion: '601', generation: 9 }));
    await kubernetesExecutor.apply(edit, snap, ctx);
    expect(JSON.parse(patches()[0]!.body).metadata).toEqual({ resourceVersion: '601' });
  });

  test('a write lands between our GET and PATCH: the resourceVersion precondition answers 409 → why137_target_changed', async () => {
    h.api.add(deployment(undefined, { resourceVersion: '700', generation: 9 }));
    const edit: KubernetesEdit = { ...base, limitsMemory: '384Mi' };
    const snap = await kubernetesExecutor.snapshot(edit, ctx);
    // The store moves on; our GET still answers with the object as it was (the race, made deterministic).
    h.api.respond('GET', PATH, { status: 200, body: deployment(undefined, { resourceVersion: '700', generation: 9 }) });
    h.api.add(deployment(undefined, { resourceVersion: '701', generation: 9 }));
    expect(await codeOf(kubernetesExecutor.apply(edit, snap, ctx))).toBe('why137_target_changed');
    expect(patches()).toHaveLength(1);
    expect(JSON.parse(patches()[0]!.body).metadata).toEqual({ resourceVersion: '700' });
    expect(app().resources.limits.memory).toBe('256Mi');
  });

  test('rollback refuses when someone changed the edited fields after the apply', async () => {
    h.api.add(deployment(undefined));
    const edit: KubernetesEdit = { ...base, limitsMemory: '384Mi' };
    const done = await kubernetesExecutor.apply(edit, await kubernetesExecutor.snapshot(edit, ctx), ctx);
    const later = structuredClone(stored());
    later.spec.template.spec.containers[0].resources.limits.memory = '512Mi';
    later.metadata.resourceVersion = String(Number(later.metadata.resourceVersion) + 1);
    h.api.add(later);
    const err = await errorOf(kubernetesExecutor.rollback(edit, done, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect(err.message).toContain('limits.memory changed since why137 applied its edit');
    expect(patches()).toHaveLength(1);
  });

  test('terminationGracePeriodSeconds on a CronJob: the jobTemplate path, no container in the body', async () => {
    h.api.add({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop', resourceVersion: '900', generation: 3, uid: 'c1' },
      spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'report:1' }] } } } } },
    });
    const edit: KubernetesEdit = { ...base, workload: { kind: 'CronJob', name: 'report' }, terminationGracePeriodSeconds: 60 };
    const done = await kubernetesExecutor.apply(edit, await kubernetesExecutor.snapshot(edit, ctx), ctx);
    const path = '/apis/batch/v1/namespaces/shop/cronjobs/report';
    expect(JSON.parse(h.api.requestsTo(path, 'PATCH')[0]!.body)).toEqual({
      metadata: { resourceVersion: '900' }, spec: { jobTemplate: { spec: { template: { spec: { terminationGracePeriodSeconds: 60 } } } } },
    });
    expect(done.detail).toBe('CronJob shop/report container app: terminationGracePeriodSeconds 30 → 60 (applies from the next scheduled run)');
  });

  test('a variable from valueFrom cannot be edited in place; a missing container or workload is a changed target', async () => {
    h.api.add(deployment([{ name: 'NODE_OPTIONS', valueFrom: { configMapKeyRef: { name: 'node', key: 'options' } } }]));
    const env: KubernetesEdit = { ...base, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '576' }] };
    expect(await codeOf(kubernetesExecutor.snapshot(env, ctx))).toBe('why137_target_invalid');
    expect(await codeOf(kubernetesExecutor.snapshot({ ...base, container: 'sidecar', limitsMemory: '1Gi' }, ctx))).toBe('why137_target_changed');
    expect(await codeOf(kubernetesExecutor.snapshot({ ...base, workload: { kind: 'StatefulSet', name: 'gone' }, limitsMemory: '1Gi' }, ctx))).toBe('why137_target_changed');
  });
});
