import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { kubernetesOwnerSource } from '../../src/sources/kubernetes-owner.js';
import { kubernetesPodSource } from '../../src/sources/kubernetes-pod.js';
import type { StepOutput } from '../../src/sources/source.js';
import { OOM_POD, startKubernetesHarness, type KubernetesHarness } from './kubernetes-harness.js';

const LEDGER_POD = { kind: 'k8s', namespace: 'payments', pod: 'ledger-0' } as const;

describe('kubernetes.owner source (real client-node against the fake API)', () => {
  let h: KubernetesHarness;
  let pod: StepOutput;
  beforeAll(async () => {
    h = await startKubernetesHarness();
    h.api.load(
      'kubernetes/pod-oomkilled-crashloop.json', 'kubernetes/api/replicaset-checkout-api-6d8f7b9c54.json', 'kubernetes/api/deployment-checkout-api.json',
      'kubernetes/api/statefulset-ledger.json', 'kubernetes/api/pod-ledger-0-oomkilled.json',
    );
    pod = await h.collect(kubernetesPodSource, OOM_POD);
    h.api.reset();
  });
  afterAll(async () => { await h.close(); });
  afterEach(() => { h.api.reset(); });

  test('walks ReplicaSet → Deployment and reports the Deployment', async () => {
    const out = await h.collect(kubernetesOwnerSource, OOM_POD, { needs: { pod } });
    expect(h.api.requests.map((r) => r.path)).toEqual([
      '/apis/apps/v1/namespaces/shop/replicasets/checkout-api-6d8f7b9c54',
      '/apis/apps/v1/namespaces/shop/deployments/checkout-api',
    ]);
    expect(out.calls).toBe(2);
    expect(out.facts).toEqual({
      workloadKind: 'Deployment', workloadName: 'checkout-api', workloadNamespace: 'shop', workloadUid: 'f1c7a9e3-2b5d-4e8f-a0c6-9d3b7e1f5a24',
      resourceVersion: '48213402', generation: 9, ownerChain: ['ReplicaSet/checkout-api-6d8f7b9c54', 'Deployment/checkout-api'],
    });
  });

  test('owner.json keeps identity, resources and env names, never env values or annotations', async () => {
    const out = await h.collect(kubernetesOwnerSource, OOM_POD, { needs: { pod } });
    const content = out.artifacts[0]!.content;
    expect(out.artifacts[0]!.name).toBe('owner.json');
    expect(JSON.parse(content)).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'checkout-api', namespace: 'shop', uid: 'f1c7a9e3-2b5d-4e8f-a0c6-9d3b7e1f5a24', resourceVersion: '48213402', generation: 9 },
      spec: { template: { spec: { containers: [{
        name: 'app',
        resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        env: [{ name: 'LOG_LEVEL' }, { name: 'HTTP_ADDR' }],
      }] } } },
    });
    // The recorded Deployment carries the values twice: in the template and in last-applied-configuration.
    expect(content).not.toMatch(/"info"|:8080|last-applied/);
    // Not evidence: the engine keeps it for remediation as an unrecognised artifact.
    await expect(readArtifactContent('owner.json', content)).rejects.toMatchObject({ code: 'why137_artifact_unrecognized' });
  });

  test('a StatefulSet pod: the StatefulSet itself, secret references reduced to names', async () => {
    const ledger = await h.collect(kubernetesPodSource, LEDGER_POD);
    const out = await h.collect(kubernetesOwnerSource, LEDGER_POD, { needs: { pod: ledger } });
    expect(out.facts).toMatchObject({ workloadKind: 'StatefulSet', workloadName: 'ledger', resourceVersion: '48201177', ownerChain: ['StatefulSet/ledger'] });
    const summary = JSON.parse(out.artifacts[0]!.content);
    expect(summary.spec.template.spec.containers[0].env).toEqual([{ name: 'JAVA_TOOL_OPTIONS' }, { name: 'LEDGER_DB_PASSWORD' }]);
    expect(out.artifacts[0]!.content).not.toMatch(/MaxRAMPercentage|secretKeyRef/);
  });

  test('without the pod step it reads the pod first', async () => {
    const out = await h.collect(kubernetesOwnerSource, OOM_POD);
    expect(out.calls).toBe(3);
    expect(h.api.requests[0]!.path).toBe('/api/v1/namespaces/shop/pods/checkout-api-6d8f7b9c54-x7k2p');
    expect(out.facts.workloadKind).toBe('Deployment');
  });

  test('a bare pod has no workload: no artifact, an empty chain', async () => {
    const bare = { ...pod, facts: { ...pod.facts, ownerReferences: [] } };
    await expect(h.collect(kubernetesOwnerSource, OOM_POD, { needs: { pod: bare } })).resolves.toEqual({ artifacts: [], facts: { ownerChain: [] }, calls: 0 });
  });

  test('a ReplicaSet managed by a controller it does not read (an Argo Rollout) stops there and says so', async () => {
    h.api.add({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: 'canary-5b7c9d8e6f', namespace: 'shop', uid: '11111111-2222-4333-8444-555555555555', resourceVersion: '77', generation: 2, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'canary', uid: '99999999-8888-4777-8666-555555555555', controller: true, blockOwnerDeletion: true }] },
      spec: { selector: { matchLabels: { app: 'canary' } }, template: { metadata: { labels: { app: 'canary' } }, spec: { containers: [{ name: 'app', image: 'x', resources: { limits: { memory: '1Gi' } } }] } } },
    });
    const owned = { ...pod, facts: { ...pod.facts, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'canary-5b7c9d8e6f', uid: '11111111-2222-4333-8444-555555555555', controller: true }] } };
    const out = await h.collect(kubernetesOwnerSource, OOM_POD, { needs: { pod: owned } });
    expect(out.facts).toMatchObject({ workloadKind: 'ReplicaSet', workloadName: 'canary-5b7c9d8e6f', ownerChain: ['ReplicaSet/canary-5b7c9d8e6f'], unreadOwner: 'Rollout/canary' });
  });

  test('an owner replaced since (same name, new uid) is not_found rather than the wrong object', async () => {
    const stale = { ...pod, facts: { ...pod.facts, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'checkout-api-6d8f7b9c54', uid: 'deadbeef-0000-4000-8000-000000000000', controller: true }] } };
    const err = await h.collect(kubernetesOwnerSource, OOM_POD, { needs: { pod: stale } }).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('not_found');
    expect((err as Error).message).toMatch(/was replaced/);
  });

  test('RBAC without apps read: denied', async () => {
    h.api.fault({ path: /^\/apis\/apps\//, status: 403 });
    const err = await h.collect(kubernetesOwnerSource, OOM_POD, { needs: { pod } }).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('denied');
  });
});
