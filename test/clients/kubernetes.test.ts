import { mkdtemp, rm, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createKubernetesClients } from '../../src/clients/kubernetes.js';
import { configSchema, type Config } from '../../src/config/config-schema.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { startKubernetesApi, type FakeKubernetesApi } from '../fakes/kubernetes-api.js';
import { writeKubeconfig, type TestKubeconfig } from '../helpers/kubeconfig.js';

const config = (kubernetes: Record<string, unknown> = {}): Config => configSchema.parse({ kubernetes });

function thrown(fn: () => unknown): Why137Error {
  try { fn(); } catch (err) { expect(err).toBeInstanceOf(Why137Error); return err as Why137Error; }
  throw new Error('expected a Why137Error');
}

describe('createKubernetesClients', () => {
  let a: FakeKubernetesApi;
  let b: FakeKubernetesApi;
  let kc: TestKubeconfig;
  let home: string;
  beforeAll(async () => {
    a = await startKubernetesApi();
    b = await startKubernetesApi({ token: 'token-b' });
    for (const api of [a, b]) api.load('kubernetes/pod-oomkilled-crashloop.json');
    kc = await writeKubeconfig({ server: a.url, token: a.token }, { server: b.url, token: b.token });
    home = await mkdtemp(path.join(tmpdir(), 'why137-home-'));
    await mkdir(path.join(home, '.kube'));
    await copyFile(kc.file, path.join(home, '.kube', 'config'));
  });
  afterAll(async () => { await a.close(); await b.close(); await kc.cleanup(); await rm(home, { recursive: true, force: true }); });
  afterEach(() => { a.reset(); b.reset(); });

  const readPod = (clients: ReturnType<typeof createKubernetesClients>) => clients.core.readNamespacedPod({ name: 'checkout-api-6d8f7b9c54-x7k2p', namespace: 'shop' });

  test('config.kubernetes.kubeconfig, current-context: the first cluster, with the bearer token', async () => {
    const pod = await readPod(createKubernetesClients(undefined, config({ kubeconfig: kc.file }), {}));
    expect(pod.metadata?.uid).toBe('7c1e2a9b-4f3d-4e8a-9b6c-2d5f8a1e3c47');
    expect(a.requests).toHaveLength(1);
    expect(a.requests[0]!.headers.authorization).toBe(`Bearer ${a.token}`);
    expect(a.requests[0]!.headers['user-agent']).toMatch(/kubernetes/i);
  });

  test('a named context switches cluster and user', async () => {
    await readPod(createKubernetesClients('why137-fake-other', config({ kubeconfig: kc.file }), {}));
    expect(a.requests).toHaveLength(0);
    expect(b.requests[0]!.headers.authorization).toBe('Bearer token-b');
  });

  test('the apps and batch clients use the same cluster', async () => {
    const clients = createKubernetesClients('why137-fake-other', config({ kubeconfig: kc.file }), {});
    await expect(clients.apps.readNamespacedDeployment({ name: 'x', namespace: 'shop' })).rejects.toMatchObject({ code: 404 });
    await expect(clients.batch.readNamespacedJob({ name: 'x', namespace: 'shop' })).rejects.toMatchObject({ code: 404 });
    expect(b.requests.map((r) => r.path)).toEqual(['/apis/apps/v1/namespaces/shop/deployments/x', '/apis/batch/v1/namespaces/shop/jobs/x']);
  });

  test('KUBECONFIG: the first existing file of the list', async () => {
    const env = { KUBECONFIG: ['/nonexistent/why137/config', kc.file].join(path.delimiter) };
    await readPod(createKubernetesClients(undefined, config(), env));
    expect(a.requests).toHaveLength(1);
  });

  test('no config and no KUBECONFIG: ~/.kube/config of the injected HOME', async () => {
    await readPod(createKubernetesClients('why137-fake-other', config(), { HOME: home }));
    expect(b.requests).toHaveLength(1);
  });

  test('~ in kubernetes.kubeconfig is the injected HOME', async () => {
    await readPod(createKubernetesClients(undefined, config({ kubeconfig: '~/.kube/config' }), { HOME: home }));
    expect(a.requests).toHaveLength(1);
  });

  test('a context the config does not allow: one line naming it and the allowed ones', () => {
    const err = thrown(() => createKubernetesClients('why137-fake-other', config({ kubeconfig: kc.file, contexts: ['why137-fake', 'staging'] }), {}));
    expect(err.code).toBe('why137_target_invalid');
    expect(err.message).toBe('context why137-fake-other is not allowed: kubernetes.contexts allows why137-fake, staging');
  });

  test('an allowed context is used', async () => {
    await readPod(createKubernetesClients('why137-fake-other', config({ kubeconfig: kc.file, contexts: ['why137-fake-other'] }), {}));
    expect(b.requests).toHaveLength(1);
  });

  test('the current-context is checked against the allowed list too', () => {
    const err = thrown(() => createKubernetesClients(undefined, config({ kubeconfig: kc.file, contexts: ['why137-fake-other'] }), {}));
    expect(err.message).toBe("context why137-fake (the kubeconfig's current-context) is not allowed: kubernetes.contexts allows why137-fake-other; name one in the target");
  });

  test('a context the kubeconfig does not have lists the ones it has', () => {
    const err = thrown(() => createKubernetesClients('prod', config({ kubeconfig: kc.file }), {}));
    expect(err.message).toBe(`context prod is not in kubeconfig ${kc.file}; it has why137-fake, why137-fake-other`);
  });

  test('a missing kubeconfig says where it looked and how to fix it', () => {
    const err = thrown(() => createKubernetesClients(undefined, config({ kubeconfig: '/nonexistent/kubeconfig' }), {}));
    expect(err.code).toBe('why137_config_invalid');
    expect(err.message).toBe('kubeconfig /nonexistent/kubeconfig: no such file; set kubernetes.kubeconfig in the config or KUBECONFIG to a readable kubeconfig');
  });

  test('a kubeconfig without current-context needs a context in the target', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'why137-kc-'));
    const file = path.join(dir, 'config');
    await writeFile(file, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: '${a.url}', insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: '${a.token}'}}]\ncontexts: [{name: only, context: {cluster: c, user: u}}]\n`);
    try {
      expect(thrown(() => createKubernetesClients(undefined, config({ kubeconfig: file }), {})).message).toBe(`kubeconfig ${file} has no current-context; name one of only in the target`);
      await readPod(createKubernetesClients('only', config({ kubeconfig: file }), {}));
      expect(a.requests).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('inCluster: the service host and port come from the injected env', () => {
    expect(thrown(() => createKubernetesClients(undefined, config({ inCluster: true }), {})).message)
      .toBe('kubernetes.inCluster is set but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not: run inside a pod, or unset inCluster and name a kubeconfig');
    expect(thrown(() => createKubernetesClients('prod', config({ inCluster: true }), { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' })).code).toBe('why137_target_invalid');
    expect(() => createKubernetesClients(undefined, config({ inCluster: true }), { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' })).not.toThrow();
  });
});
