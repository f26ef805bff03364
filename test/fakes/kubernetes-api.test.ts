import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, VersionApi, setHeaderOptions } from '@kubernetes/client-node';
import { startKubernetesApi, type FakeKubernetesApi } from './kubernetes-api.js';

const DEPLOYMENT = '/apis/apps/v1/namespaces/shop/deployments/checkout-api';

/** Real client-node clients on the fake, built the way a kubeconfig with insecure-skip-tls-verify would. */
function clientsFor(api: FakeKubernetesApi, token = api.token) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: api.url, skipTLSVerify: true }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'u' }],
    currentContext: 'fake',
  });
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), version: kc.makeApiClient(VersionApi) };
}

describe('the Kubernetes API fake', () => {
  let api: FakeKubernetesApi;
  let k: ReturnType<typeof clientsFor>;
  beforeEach(async () => {
    api = await startKubernetesApi();
    api.load('kubernetes/api/deployment-checkout-api.json', 'kubernetes/podlist-two-pods.json', 'kubernetes/events-system-oom.json');
    k = clientsFor(api);
  });
  afterEach(async () => { await api.close(); });

  test('/version and a wrong token (401)', async () => {
    await expect(k.version.getCode()).resolves.toMatchObject({ gitVersion: 'v1.29.4' });
    await expect(clientsFor(api, 'nope').core.readNode({ name: 'x' })).rejects.toMatchObject({ code: 401 });
  });

  test('lists: label selectors (=, !=, in, notin, exists, !exists), limit and continue', async () => {
    const all = await k.core.listNamespacedPod({ namespace: 'shop' });
    expect(all.items).toHaveLength(2);
    const sel = async (labelSelector: string) => (await k.core.listNamespacedPod({ namespace: 'shop', labelSelector })).items.map((p) => p.metadata!.name);
    expect(await sel('app=checkout-api,pod-template-hash==6d8f7b9c54')).toHaveLength(2);
    expect(await sel('app!=checkout-api')).toEqual([]);
    expect(await sel('app in (checkout-api, other)')).toHaveLength(2);
    expect(await sel('app notin (checkout-api)')).toEqual([]);
    expect(await sel('pod-template-hash')).toHaveLength(2);
    expect(await sel('!pod-template-hash')).toEqual([]);
    const page = await k.core.listNamespacedPod({ namespace: 'shop', limit: 1 });
    expect(page.items).toHaveLength(1);
    const next = await k.core.listNamespacedPod({ namespace: 'shop', limit: 1, _continue: page.metadata!._continue! });
    expect(next.items[0]!.metadata!.name).not.toBe(page.items[0]!.metadata!.name);
    expect(next.metadata!._continue).toBeUndefined();
  });

  test('events.k8s.io events are served as core/v1; field labels the API server does not support are a 400', async () => {
    const ev = await k.core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.kind=Node,reason=SystemOOM' });
    expect(ev.items.map((e) => [e.reason, e.involvedObject.kind, e.count, e.source?.component])).toEqual([['SystemOOM', 'Node', 1, 'kubelet'], ['SystemOOM', 'Node', 1, 'kubelet']]);
    await expect(k.core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'note=x' })).rejects.toMatchObject({ code: 400 });
    await expect(k.core.listNamespacedPod({ namespace: 'shop', fieldSelector: 'status.phase!=Running' })).resolves.toMatchObject({ items: [] });
  });

  test('PATCH: the body, content type and precondition are recorded; a stale resourceVersion is a 409', async () => {
    const body = { metadata: { resourceVersion: '48213402' }, spec: { template: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '512Mi' } } }] } } } };
    const patched = await k.apps.patchNamespacedDeployment({ name: 'checkout-api', namespace: 'shop', body }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
    expect(patched.spec!.template.spec!.containers[0]!.resources!.limits).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(patched.spec!.template.spec!.containers[0]!.image).toBe('registry.example.com/shop/checkout-api:2.14.3');
    expect(patched.metadata!.generation).toBe(10);
    const [req] = api.requestsTo(DEPLOYMENT, 'PATCH');
    expect(req!.headers['content-type']).toBe('application/strategic-merge-patch+json');
    expect(JSON.parse(req!.body)).toEqual(body);
    // The same precondition again is stale now.
    await expect(k.apps.patchNamespacedDeployment({ name: 'checkout-api', namespace: 'shop', body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))).rejects.toMatchObject({ code: 409 });
    expect(api.get(DEPLOYMENT)!.metadata).toMatchObject({ resourceVersion: patched.metadata!.resourceVersion });
  });

  test('PATCH as a JSON patch with a test op on resourceVersion', async () => {
    const ops = [{ op: 'test', path: '/metadata/resourceVersion', value: '48213402' }, { op: 'replace', path: '/spec/replicas', value: 4 }];
    await expect(k.apps.patchNamespacedDeployment({ name: 'checkout-api', namespace: 'shop', body: ops })).resolves.toMatchObject({ spec: { replicas: 4 } });
    await expect(k.apps.patchNamespacedDeployment({ name: 'checkout-api', namespace: 'shop', body: ops })).rejects.toMatchObject({ code: 409 });
  });

  test('a canned response replaces the store for one method and path', async () => {
    api.respond('PATCH', DEPLOYMENT, { status: 422, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Invalid', code: 422, message: 'admission webhook denied the request' } });
    await expect(k.apps.patchNamespacedDeployment({ name: 'checkout-api', namespace: 'shop', body: [] })).rejects.toMatchObject({ code: 422 });
    await expect(k.apps.readNamespacedDeployment({ name: 'checkout-api', namespace: 'shop' })).resolves.toMatchObject({ metadata: { name: 'checkout-api' } });
  });

  test('faults match by method and path pattern and wear off after `times`', async () => {
    api.fault({ path: /\/deployments\//, method: 'GET', status: 503, times: 1 });
    await expect(k.apps.readNamespacedDeployment({ name: 'checkout-api', namespace: 'shop' })).rejects.toMatchObject({ code: 503 });
    await expect(k.apps.readNamespacedDeployment({ name: 'checkout-api', namespace: 'shop' })).resolves.toBeDefined();
    expect(api.requestsTo(DEPLOYMENT)).toHaveLength(2);
  });

  test('close() ends delayed requests without waiting for them', async () => {
    api.fault({ path: DEPLOYMENT, delayMs: 60_000 });
    const pending = k.apps.readNamespacedDeployment({ name: 'checkout-api', namespace: 'shop' }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await api.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    api = await startKubernetesApi(); // for afterEach
  });
});
