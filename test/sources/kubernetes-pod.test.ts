import { ofKind } from '../../src/diagnosis/evidence.js';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { kubernetesPodSource } from '../../src/sources/kubernetes-pod.js';
import { startKubernetesApi, type FakeKubernetesApi } from '../fakes/kubernetes-api.js';
import { writeKubeconfig, type TestKubeconfig } from '../helpers/kubeconfig.js';
import { fixtureText, OOM_NODE, OOM_POD, startKubernetesHarness, type KubernetesHarness } from './kubernetes-harness.js';

const POD_PATH = '/api/v1/namespaces/shop/pods/checkout-api-6d8f7b9c54-x7k2p';

async function failure(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (err) { return err; }
  throw new Error('expected the collect to fail');
}

describe('kubernetes.pod source (real client-node against the fake API)', () => {
  let h: KubernetesHarness;
  beforeAll(async () => {
    h = await startKubernetesHarness();
    h.api.load('kubernetes/pod-oomkilled-crashloop.json', 'kubernetes/podlist-two-pods.json');
  });
  afterAll(async () => { await h.close(); });
  afterEach(() => { h.api.reset(); });

  test('writes pod.json exactly as kubectl get pod -o json prints the recorded pod', async () => {
    const out = await h.collect(kubernetesPodSource, OOM_POD);
    expect(out.calls).toBe(1);
    expect(out.artifacts.map((a) => a.name)).toEqual(['pod.json']);
    expect(out.artifacts[0]!.content.trim()).toBe(fixtureText('kubernetes/pod-oomkilled-crashloop.json').trim());
    const [req] = h.api.requests;
    expect(req).toMatchObject({ method: 'GET', path: POD_PATH, query: {} });
    expect(req!.headers.authorization).toBe(`Bearer ${h.api.token}`);
  });

  test('the artifact parses into the OOMKilled state, the limit and the pod status', async () => {
    const out = await h.collect(kubernetesPodSource, OOM_POD);
    const parsed = await readArtifactContent('pod.json', out.artifacts[0]!.content);
    expect(parsed.kind).toBe('kubernetes.pod');
    const states = ofKind(parsed.evidence, 'container.state');
    expect(states.some((s) => s.oomKilled === true && s.exitCode === 137 && s.subject.containerName === 'app')).toBe(true);
    expect(ofKind(parsed.evidence, 'limits').find((l) => l.subject.containerName === 'app')?.memoryLimitBytes).toBe(256 * 1024 * 1024);
    expect(ofKind(parsed.evidence, 'pod.status')).toHaveLength(1);
  });

  test('facts: uid, node, container ids, per-container runs, the judged exit and the owner', async () => {
    const out = await h.collect(kubernetesPodSource, OOM_POD);
    expect(out.facts).toMatchObject({
      pod: 'checkout-api-6d8f7b9c54-x7k2p',
      namespace: 'shop',
      podUid: '7c1e2a9b-4f3d-4e8a-9b6c-2d5f8a1e3c47',
      nodeName: OOM_NODE,
      phase: 'Running',
      container: 'app',
      containerIds: ['8f8416b9c6bbf83f4903cd0e6cf6cb8d12cf8d38526c8191e8df5e966438bf26'],
      startedAt: '2024-05-14T09:17:05Z',
      finishedAt: '2024-05-14T09:17:43Z',
      exitCode: 137,
      reason: 'OOMKilled',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'checkout-api-6d8f7b9c54', uid: 'a3f0c2d1-9e8b-4c7a-b6d5-e4f3a2b1c0d9', controller: true }],
    });
    expect(out.facts.containers).toEqual([{
      name: 'app', type: 'app', restartCount: 14,
      state: { status: 'waiting', reason: 'CrashLoopBackOff', containerId: '8f8416b9c6bbf83f4903cd0e6cf6cb8d12cf8d38526c8191e8df5e966438bf26' },
      lastState: { status: 'terminated', startedAt: '2024-05-14T09:17:05Z', finishedAt: '2024-05-14T09:17:43Z', exitCode: 137, reason: 'OOMKilled', containerId: '8f8416b9c6bbf83f4903cd0e6cf6cb8d12cf8d38526c8191e8df5e966438bf26' },
    }]);
  });

  test('a workload target reads the pod the workload-pod step picked', async () => {
    const out = await h.collect(kubernetesPodSource, { kind: 'k8s-workload', namespace: 'shop', workload: 'deployment', name: 'checkout-api' }, {
      needs: { 'workload-pod': { artifacts: [], calls: 2, facts: { pod: 'checkout-api-6d8f7b9c54-bq9zr', namespace: 'shop', container: 'app' } } },
    });
    expect(h.api.requests.map((r) => r.path)).toEqual(['/api/v1/namespaces/shop/pods/checkout-api-6d8f7b9c54-bq9zr']);
    expect(out.facts).toMatchObject({ pod: 'checkout-api-6d8f7b9c54-bq9zr', finishedAt: '2024-05-14T09:19:58Z', reason: 'OOMKilled' });
  });

  test('a container the pod does not have is not_found, naming the ones it has', async () => {
    const err = await failure(h.collect(kubernetesPodSource, { ...OOM_POD, container: 'sidecar' }));
    expect(classifyFault(err)).toEqual({ fault: 'not_found', detail: 'container sidecar is not in pod shop/checkout-api-6d8f7b9c54-x7k2p; it has app' });
  });

  describe('faults reach the engine classified', () => {
    test('a missing pod: 404 → not_found, with the API\'s own words', async () => {
      const err = await failure(h.collect(kubernetesPodSource, { kind: 'k8s', namespace: 'shop', pod: 'gone-7d9c8b5f4-x2x9z' }));
      expect(err).toMatchObject({ name: 'KubernetesApiError', code: 404 });
      expect(classifyFault(err)).toEqual({ fault: 'not_found', detail: 'HTTP 404 NotFound: pods "gone-7d9c8b5f4-x2x9z" not found' });
    });

    test('RBAC refusal: 403 → denied', async () => {
      h.api.fault({ path: POD_PATH, status: 403 });
      const err = await failure(h.collect(kubernetesPodSource, OOM_POD));
      expect(err).toMatchObject({ code: 403, reason: 'Forbidden' });
      const c = classifyFault(err);
      expect(c.fault).toBe('denied');
      expect(c.detail).toContain('cannot get resource "pods" in API group "" in the namespace "shop"');
    });

    test('priority and fairness: 429 → throttled, with the Retry-After kept', async () => {
      h.api.fault({ path: POD_PATH, status: 429, retryAfterSeconds: 3 });
      const err = await failure(h.collect(kubernetesPodSource, OOM_POD));
      expect(err).toMatchObject({ code: 429, retryAfterSeconds: 3 });
      expect(classifyFault(err).fault).toBe('throttled');
    });

    test('a bad token: 401 → denied', async () => {
      h.api.fault({ path: POD_PATH, status: 401 });
      expect(classifyFault(await failure(h.collect(kubernetesPodSource, OOM_POD))).fault).toBe('denied');
    });

    test('a server error keeps its status for the report', async () => {
      h.api.fault({ path: POD_PATH, status: 500 });
      const err = await failure(h.collect(kubernetesPodSource, OOM_POD));
      expect(err).toMatchObject({ code: 500, message: 'HTTP 500 InternalError: Internal error occurred: etcdserver: request timed out' });
    });

    test('an answer slower than the step\'s signal → aborted, classified timeout, and the request is cut', async () => {
      h.api.fault({ path: POD_PATH, delayMs: 3000 });
      const t0 = Date.now();
      const err = await failure(h.collect(kubernetesPodSource, OOM_POD, { signal: AbortSignal.timeout(150) }));
      expect(Date.now() - t0).toBeLessThan(2000);
      expect((err as Error).name).toBe('TimeoutError');
      expect(classifyFault(err).fault).toBe('timeout');
    });

    test('an engine abort (AbortController) → timeout too', async () => {
      h.api.fault({ path: POD_PATH, delayMs: 3000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const err = await failure(h.collect(kubernetesPodSource, OOM_POD, { signal: ac.signal }));
      expect((err as Error).name).toBe('AbortError');
      expect(classifyFault(err).fault).toBe('timeout');
    });

    test('an already aborted signal makes no request', async () => {
      const err = await failure(h.collect(kubernetesPodSource, OOM_POD, { signal: AbortSignal.abort() }));
      expect(classifyFault(err).fault).toBe('timeout');
      expect(h.api.requests).toHaveLength(0);
    });

    test('a connection reset → unreachable', async () => {
      h.api.fault({ path: POD_PATH, reset: true });
      const err = await failure(h.collect(kubernetesPodSource, OOM_POD));
      expect(classifyFault(err).fault).toBe('unreachable');
    });

    test('a transient fault clears after `times` requests', async () => {
      h.api.fault({ path: POD_PATH, status: 429, times: 1 });
      await failure(h.collect(kubernetesPodSource, OOM_POD));
      await expect(h.collect(kubernetesPodSource, OOM_POD)).resolves.toMatchObject({ calls: 1 });
    });
  });
});

describe('kubernetes.pod source: the target\'s context picks the cluster', () => {
  let a: FakeKubernetesApi;
  let b: FakeKubernetesApi;
  let kc: TestKubeconfig;
  let h: KubernetesHarness;
  beforeAll(async () => {
    h = await startKubernetesHarness();
    a = h.api;
    b = await startKubernetesApi({ token: 'other-cluster-token' });
    b.load('kubernetes/pod-oomkilled-crashloop.json');
    kc = await writeKubeconfig({ server: a.url, token: a.token }, { server: b.url, token: b.token });
    h.config.kubernetes.kubeconfig = kc.file;
  });
  afterAll(async () => { await h.close(); await b.close(); await kc.cleanup(); });

  test('context why137-fake-other reads from the second cluster with its own token', async () => {
    await h.collect(kubernetesPodSource, { ...OOM_POD, context: 'why137-fake-other' });
    expect(a.requests).toHaveLength(0);
    expect(b.requests).toHaveLength(1);
    expect(b.requests[0]!.headers.authorization).toBe('Bearer other-cluster-token');
  });
});
