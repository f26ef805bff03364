import { ofKind } from '../../src/diagnosis/evidence.js';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { kubernetesEventsSource } from '../../src/sources/kubernetes-events.js';
import { kubernetesPodSource } from '../../src/sources/kubernetes-pod.js';
import type { StepOutput } from '../../src/sources/source.js';
import { OOM_NODE, OOM_POD, startKubernetesHarness, type KubernetesHarness } from './kubernetes-harness.js';

const POD_UID = '7c1e2a9b-4f3d-4e8a-9b6c-2d5f8a1e3c47';

describe('kubernetes.events source (real client-node against the fake API)', () => {
  let h: KubernetesHarness;
  let pod: StepOutput;
  beforeAll(async () => {
    h = await startKubernetesHarness();
    // The pod's BackOff event, its node's SystemOOM/NodeHasInsufficientMemory (recorded as events.k8s.io, served as
    // core/v1 as the API server converts them), and noise the selectors must leave out.
    h.api.load('kubernetes/pod-oomkilled-crashloop.json', 'kubernetes/event-backoff.yaml', 'kubernetes/events-system-oom.json', 'kubernetes/events-liveness-probe.json', 'kubernetes/events-oomkilling-node.yaml');
    // An event about an earlier pod of the same name (a StatefulSet-style replacement): another uid.
    h.api.add({
      apiVersion: 'v1', kind: 'Event', count: 1, firstTimestamp: '2024-05-14T07:00:00Z', lastTimestamp: '2024-05-14T07:00:00Z', message: 'Stopping container app',
      involvedObject: { apiVersion: 'v1', fieldPath: 'spec.containers{app}', kind: 'Pod', name: 'checkout-api-6d8f7b9c54-x7k2p', namespace: 'shop', uid: '00000000-0000-4000-8000-000000000000' },
      metadata: { creationTimestamp: '2024-05-14T07:00:00Z', name: 'checkout-api-6d8f7b9c54-x7k2p.17cf0e2a3b4c5d6e', namespace: 'shop', uid: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b' },
      reason: 'Killing', source: { component: 'kubelet', host: OOM_NODE }, type: 'Normal',
    });
    pod = await h.collect(kubernetesPodSource, OOM_POD);
    h.api.reset();
  });
  afterAll(async () => { await h.close(); });
  afterEach(() => { h.api.reset(); });

  test('sends a pod selector with the uid and a node selector in the default namespace', async () => {
    const out = await h.collect(kubernetesEventsSource, OOM_POD, { needs: { pod } });
    expect(out.calls).toBe(2);
    expect(h.api.requests.map((r) => ({ path: r.path, fieldSelector: r.query.fieldSelector }))).toEqual([
      { path: '/api/v1/namespaces/shop/events', fieldSelector: `involvedObject.kind=Pod,involvedObject.name=checkout-api-6d8f7b9c54-x7k2p,involvedObject.namespace=shop,involvedObject.uid=${POD_UID}` },
      { path: '/api/v1/namespaces/default/events', fieldSelector: `involvedObject.kind=Node,involvedObject.name=${OOM_NODE}` },
    ]);
    expect(h.api.requests.every((r) => r.query.limit === '500')).toBe(true);
  });

  test('events.json is one kubectl List that parses into the pod\'s and the node\'s events', async () => {
    const out = await h.collect(kubernetesEventsSource, OOM_POD, { needs: { pod } });
    const list = JSON.parse(out.artifacts[0]!.content);
    expect(out.artifacts[0]!.name).toBe('events.json');
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    expect(list.items.every((i: { apiVersion: string; kind: string }) => i.apiVersion === 'v1' && i.kind === 'Event')).toBe(true);
    const parsed = await readArtifactContent('events.json', out.artifacts[0]!.content);
    expect(parsed.kind).toBe('kubernetes.events');
    const events = ofKind(parsed.evidence, 'k8s.event');
    expect(events.map((e) => e.reason)).toEqual(['BackOff', 'SystemOOM', 'SystemOOM', 'NodeHasInsufficientMemory']);
    expect(events[0]).toMatchObject({ count: 311, subject: { pod: 'checkout-api-6d8f7b9c54-x7k2p', podUid: POD_UID, containerName: 'app' } });
    expect(events[1]).toMatchObject({ involvedKind: 'Node', message: 'System OOM encountered, victim process: checkout-api, pid: 31337', subject: { node: OOM_NODE } });
    expect(out.facts).toEqual({ eventCount: 4, podEventCount: 1, nodeEventCount: 3, reasons: ['BackOff', 'SystemOOM', 'NodeHasInsufficientMemory'] });
  });

  test('without the pod step (a bare k8s target) it selects by name and namespace only and reads no node events', async () => {
    const out = await h.collect(kubernetesEventsSource, OOM_POD);
    expect(h.api.requests.map((r) => r.query.fieldSelector)).toEqual(['involvedObject.kind=Pod,involvedObject.name=checkout-api-6d8f7b9c54-x7k2p,involvedObject.namespace=shop']);
    expect(out.facts).toMatchObject({ podEventCount: 2, nodeEventCount: 0 });
  });

  test('nodeEvents: false skips the node query', async () => {
    const out = await h.collect(kubernetesEventsSource, OOM_POD, { needs: { pod }, params: { nodeEvents: false } });
    expect(out.calls).toBe(1);
    expect(out.facts).toMatchObject({ eventCount: 1 });
  });

  test('pages through `continue` up to maxEvents', async () => {
    const out = await h.collect(kubernetesEventsSource, OOM_POD, { needs: { pod }, params: { maxEvents: 2 } });
    // One pod event; the node query asks for at most 2 and stops although the server has a third.
    expect(h.api.requests.map((r) => r.query.limit)).toEqual(['2', '2']);
    expect(out.facts).toMatchObject({ podEventCount: 1, nodeEventCount: 2 });
  });

  test('no events at all is an EventList the parser reads as no evidence, not an unrecognised file', async () => {
    const out = await h.collect(kubernetesEventsSource, { kind: 'k8s', namespace: 'shop', pod: 'quiet-5f6d7c8b9-abcde' });
    const parsed = await readArtifactContent('events.json', out.artifacts[0]!.content);
    expect(parsed).toMatchObject({ kind: 'kubernetes.events', evidence: [] });
  });

  test('a refused node-event read keeps the pod\'s events and says why', async () => {
    h.api.fault({ path: '/api/v1/namespaces/default/events', status: 403 });
    const out = await h.collect(kubernetesEventsSource, OOM_POD, { needs: { pod } });
    expect(out.calls).toBe(2);
    expect(out.facts.podEventCount).toBe(1);
    expect(out.facts.nodeEventsError).toBe(`node ${OOM_NODE} events: HTTP 403 Forbidden: events is forbidden: User "system:serviceaccount:why137:why137" cannot list resource "events" in API group "" in the namespace "default"`);
  });

  test('a refused pod-event read fails the step as denied', async () => {
    h.api.fault({ path: '/api/v1/namespaces/shop/events', status: 403 });
    const err = await h.collect(kubernetesEventsSource, OOM_POD, { needs: { pod } }).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('denied');
  });

  test('throttling on the node query fails the step, so the engine\'s backoff retries it', async () => {
    h.api.fault({ path: '/api/v1/namespaces/default/events', status: 429 });
    const err = await h.collect(kubernetesEventsSource, OOM_POD, { needs: { pod } }).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('throttled');
  });

  test('a pod name with a comma could not add a selector term (values are escaped)', async () => {
    await h.collect(kubernetesEventsSource, { kind: 'k8s', namespace: 'shop', pod: 'a,involvedObject.kind=Node' });
    expect(h.api.requests[0]!.query.fieldSelector).toBe('involvedObject.kind=Pod,involvedObject.name=a\\,involvedObject.kind\\=Node,involvedObject.namespace=shop');
  });
});
