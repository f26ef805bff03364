import { readFileSync } from 'node:fs';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { kubernetesWorkloadPodSource } from '../../src/sources/kubernetes-workload-pod.js';
import type { Target } from '../../src/targets/target.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { OOM_NODE, startKubernetesHarness, type KubernetesHarness } from './kubernetes-harness.js';

const DEPLOYMENT: Target = { kind: 'k8s-workload', namespace: 'shop', workload: 'deployment', name: 'checkout-api' };
const json = (rel: string) => JSON.parse(readFileSync(fixturePath(...rel.split('/')), 'utf8'));

describe('kubernetes.workload-pod source (real client-node against the fake API)', () => {
  let h: KubernetesHarness;
  beforeAll(async () => {
    h = await startKubernetesHarness();
    // x7k2p: OOMKilled at 09:17:43; bq9zr: OOMKilled at 09:19:58; j4mtd: healthy. All three under the same ReplicaSet.
    h.api.load(
      'kubernetes/pod-oomkilled-crashloop.json', 'kubernetes/podlist-two-pods.json',
      'kubernetes/api/replicaset-checkout-api-6d8f7b9c54.json', 'kubernetes/api/deployment-checkout-api.json',
      'kubernetes/api/statefulset-ledger.json', 'kubernetes/api/pod-ledger-0-oomkilled.json',
    );
    // A debugging copy someone ran with the same labels, OOM-killed later still: not the Deployment's pod.
    const stray = json('kubernetes/pod-oomkilled-crashloop.json');
    stray.metadata = { ...stray.metadata, name: 'checkout-api-debug', uid: '0f0f0f0f-1e1e-4d2d-8c3c-4b4b4b4b4b4b', ownerReferences: undefined };
    stray.status.containerStatuses[0].lastState.terminated.finishedAt = '2024-05-14T10:30:00Z';
    h.api.add(stray);
  });
  afterAll(async () => { await h.close(); });
  afterEach(() => { h.api.reset(); });

  test('a Deployment resolves to its newest OOM-killed pod, not the healthy one, not an older kill, not a stray look-alike', async () => {
    const out = await h.collect(kubernetesWorkloadPodSource, DEPLOYMENT);
    expect(out).toEqual({
      artifacts: [],
      calls: 3,
      facts: {
        pod: 'checkout-api-6d8f7b9c54-bq9zr', namespace: 'shop', podUid: '2d4f6a8c-0e1b-4d3f-a5c7-e9b1d3f5a7c9', nodeName: OOM_NODE, container: 'app',
        finishedAt: '2024-05-14T09:19:58Z', killReason: 'OOMKilled', workloadKind: 'Deployment', workloadName: 'checkout-api', podsChecked: 3, killedPods: 2,
      },
    });
  });

  test('reads the Deployment, then lists ReplicaSets and pods by its selector', async () => {
    await h.collect(kubernetesWorkloadPodSource, DEPLOYMENT);
    expect(h.api.requests.map((r) => ({ path: r.path, labelSelector: r.query.labelSelector }))).toEqual([
      { path: '/apis/apps/v1/namespaces/shop/deployments/checkout-api', labelSelector: undefined },
      { path: '/apis/apps/v1/namespaces/shop/replicasets', labelSelector: 'app=checkout-api' },
      { path: '/api/v1/namespaces/shop/pods', labelSelector: 'app=checkout-api' },
    ]);
  });

  test('a StatefulSet resolves to its OOM-killed pod', async () => {
    const out = await h.collect(kubernetesWorkloadPodSource, { kind: 'k8s-workload', namespace: 'payments', workload: 'statefulset', name: 'ledger' });
    expect(out.calls).toBe(2);
    expect(out.facts).toMatchObject({ pod: 'ledger-0', namespace: 'payments', container: 'ledger', finishedAt: '2024-05-14T06:41:12Z', killReason: 'OOMKilled', workloadKind: 'StatefulSet' });
  });

  test('a container the kills did not hit: not_found, saying so', async () => {
    const err = await h.collect(kubernetesWorkloadPodSource, { ...DEPLOYMENT, container: 'istio-proxy' }).catch((e: unknown) => e);
    expect(classifyFault(err)).toEqual({
      fault: 'not_found',
      detail: 'deployment shop/checkout-api: none of its 3 pods has container istio-proxy in it that exited 137 or was OOMKilled, and none was evicted (pods deleted since are not listed); name a pod instead',
    });
  });

  test('a workload whose pods are all healthy: not_found', async () => {
    h.api.add({
      apiVersion: 'apps/v1', kind: 'DaemonSet',
      metadata: { name: 'node-exporter', namespace: 'shop', uid: 'ds-uid-1', resourceVersion: '5', generation: 1 },
      spec: { selector: { matchLabels: { app: 'node-exporter' } }, template: { metadata: { labels: { app: 'node-exporter' } }, spec: { containers: [{ name: 'exporter', image: 'x' }] } } },
    });
    const err = await h.collect(kubernetesWorkloadPodSource, { kind: 'k8s-workload', namespace: 'shop', workload: 'daemonset', name: 'node-exporter' }).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('not_found');
    expect((err as Error).message).toMatch(/none of its 0 pods/);
  });

  test('a workload that does not exist: 404 → not_found', async () => {
    const err = await h.collect(kubernetesWorkloadPodSource, { ...DEPLOYMENT, name: 'gone' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 404 });
    expect(classifyFault(err).fault).toBe('not_found');
  });

  test('listing pods refused: denied', async () => {
    h.api.fault({ path: '/api/v1/namespaces/shop/pods', status: 403 });
    const err = await h.collect(kubernetesWorkloadPodSource, DEPLOYMENT).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('denied');
    expect((err as Error).message).toContain('cannot list resource "pods"');
  });

  test('throttled list: throttled', async () => {
    h.api.fault({ path: '/apis/apps/v1/namespaces/shop/replicasets', status: 429, retryAfterSeconds: 2 });
    expect(classifyFault(await h.collect(kubernetesWorkloadPodSource, DEPLOYMENT).catch((e: unknown) => e)).fault).toBe('throttled');
  });

  test('a k8s pod target passes through without a call', async () => {
    await expect(h.collect(kubernetesWorkloadPodSource, { kind: 'k8s', namespace: 'shop', pod: 'p' })).resolves.toEqual({ artifacts: [], facts: { pod: 'p', namespace: 'shop' }, calls: 0 });
  });
});
