import { ofKind } from '../../src/diagnosis/evidence.js';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { kubernetesNodeSource } from '../../src/sources/kubernetes-node.js';
import { kubernetesPodSource } from '../../src/sources/kubernetes-pod.js';
import type { StepOutput } from '../../src/sources/source.js';
import { fixtureText, OOM_NODE, OOM_POD, startKubernetesHarness, type KubernetesHarness } from './kubernetes-harness.js';

describe('kubernetes.node source (real client-node against the fake API)', () => {
  let h: KubernetesHarness;
  let pod: StepOutput;
  beforeAll(async () => {
    h = await startKubernetesHarness();
    h.api.load('kubernetes/pod-oomkilled-crashloop.json', 'kubernetes/node-healthy.yaml', 'kubernetes/node-memory-pressure.json', 'kubernetes/pod-evicted-memory-pressure.json', 'kubernetes/api/node-aks-nodepool1-31718369-vmss000002.json');
    pod = await h.collect(kubernetesPodSource, OOM_POD);
    h.api.reset();
  });
  afterAll(async () => { await h.close(); });
  afterEach(() => { h.api.reset(); });

  test('reads the node the pod step named and writes it as kubectl prints it', async () => {
    const out = await h.collect(kubernetesNodeSource, OOM_POD, { needs: { pod } });
    expect(h.api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v1/nodes/${OOM_NODE}`]);
    expect(out).toMatchObject({ calls: 1, facts: { nodeName: OOM_NODE, memoryPressure: 'False', kubeletVersion: 'v1.29.3-eks-ae9a62a' } });
    const parsed = await readArtifactContent('node.json', out.artifacts[0]!.content);
    expect(parsed.kind).toBe('kubernetes.node');
    expect(ofKind(parsed.evidence, 'node')).toEqual([expect.objectContaining({ name: OOM_NODE, memoryPressure: false })]);
  });

  test('a JSON fixture round-trips byte for byte', async () => {
    const evicted = await h.collect(kubernetesPodSource, { kind: 'k8s', namespace: 'storefront', pod: 'web-frontend-7b9d5c6f48-mz8rt' });
    const out = await h.collect(kubernetesNodeSource, OOM_POD, { needs: { pod: evicted } });
    expect(out.artifacts[0]!.content).toBe(fixtureText('kubernetes/node-memory-pressure.json').trimEnd() + '\n');
    expect(out.facts).toMatchObject({ memoryPressure: 'True' });
  });

  test('no node (the pod step did not run, or the pod is unscheduled) is not_found without a call', async () => {
    const err = await h.collect(kubernetesNodeSource, OOM_POD).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('not_found');
    expect(h.api.requests).toHaveLength(0);
  });

  test('a node removed since (scaled in) is not_found', async () => {
    const gone = { ...pod, facts: { ...pod.facts, nodeName: 'ip-10-42-9-9.eu-west-1.compute.internal' } };
    const err = await h.collect(kubernetesNodeSource, OOM_POD, { needs: { pod: gone } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 404, message: 'HTTP 404 NotFound: nodes "ip-10-42-9-9.eu-west-1.compute.internal" not found' });
    expect(classifyFault(err).fault).toBe('not_found');
  });

  test('a namespaced service account cannot read nodes: denied', async () => {
    h.api.fault({ path: /^\/api\/v1\/nodes\//, status: 403 });
    const err = await h.collect(kubernetesNodeSource, OOM_POD, { needs: { pod } }).catch((e: unknown) => e);
    expect(classifyFault(err)).toMatchObject({ fault: 'denied' });
    expect((err as Error).message).toContain('cannot get resource "nodes" in API group "" at the cluster scope');
  });
});
