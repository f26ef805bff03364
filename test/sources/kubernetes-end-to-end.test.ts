import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { explainEvidence } from '../../src/cli/explain-files.js';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import { RemoteAccessError } from '../../src/clients/remote-access-error.js';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { runRunbook } from '../../src/runbooks/run-runbook.js';
import { kubernetesEventsSource } from '../../src/sources/kubernetes-events.js';
import { kubernetesNodeSource } from '../../src/sources/kubernetes-node.js';
import { kubernetesOwnerSource } from '../../src/sources/kubernetes-owner.js';
import { kubernetesPodSource } from '../../src/sources/kubernetes-pod.js';
import { kubernetesWorkloadPodSource } from '../../src/sources/kubernetes-workload-pod.js';
import type { Source } from '../../src/sources/source.js';
import type { Target } from '../../src/targets/target.js';
import { projectRoot } from '../helpers/fixture-path.js';
import { OOM_POD, startKubernetesHarness, type KubernetesHarness } from './kubernetes-harness.js';

const LIVENESS_POD = { kind: 'k8s', namespace: 'search', pod: 'search-gateway-84c6d7f9b5-tn5vd' } as const satisfies Target;

/** The kubernetes-pod runbook by hand: pod, then events, node and owner; every artifact through the parsers. */
async function diagnoseByHand(h: KubernetesHarness, target: Target) {
  const pod = await h.collect(kubernetesPodSource, target);
  const needs = { pod };
  const settled = await Promise.allSettled([kubernetesEventsSource, kubernetesNodeSource, kubernetesOwnerSource].map((s) => h.collect(s as Source<unknown>, target, { needs })));
  const outs = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const evidence: Evidence[] = [];
  const inputs: { file: string; kind: string }[] = [];
  for (const a of [pod, ...outs].flatMap((o) => o.artifacts)) {
    if (a.name === 'owner.json') continue; // remediation context, not evidence
    const r = await readArtifactContent(a.name, a.content);
    evidence.push(...r.evidence);
    inputs.push({ file: a.name, kind: r.kind });
  }
  return { explanation: explainEvidence(evidence, inputs), inputs };
}

describe('Kubernetes sources end to end: fake API → artifacts → parsers → verdict', () => {
  let h: KubernetesHarness;
  beforeAll(async () => {
    h = await startKubernetesHarness();
    h.api.load(
      'kubernetes/pod-oomkilled-crashloop.json', 'kubernetes/podlist-two-pods.json', 'kubernetes/event-backoff.yaml', 'kubernetes/node-healthy.yaml',
      'kubernetes/api/replicaset-checkout-api-6d8f7b9c54.json', 'kubernetes/api/deployment-checkout-api.json',
      'kubernetes/pod-liveness-probe-killed.json', 'kubernetes/events-liveness-probe.json', 'kubernetes/api/node-aks-nodepool1-31718369-vmss000002.json',
    );
  });
  afterAll(async () => { await h.close(); });

  test('an OOM-killed pod on a healthy node is a cgroup OOM', async () => {
    const { explanation, inputs } = await diagnoseByHand(h, OOM_POD);
    expect(inputs).toEqual([
      { file: 'pod.json', kind: 'kubernetes.pod' },
      { file: 'events.json', kind: 'kubernetes.events' },
      { file: 'node.json', kind: 'kubernetes.node' },
    ]);
    expect(explanation.verdict.cause).toBe('cgroup_oom');
    expect(explanation.verdict.target).toMatchObject({ pod: 'checkout-api-6d8f7b9c54-x7k2p', namespace: 'shop' });
    expect(explanation.verdict.limitBytes).toBe(256 * 1024 * 1024);
  });

  test('a pod the kubelet killed for failing its liveness probe is a probe failure', async () => {
    const { explanation } = await diagnoseByHand(h, LIVENESS_POD);
    expect(explanation.verdict.cause).toBe('probe_failure');
    expect(explanation.verdict.target).toMatchObject({ pod: 'search-gateway-84c6d7f9b5-tn5vd' });
  });

  describe('through the engine with the built-in runbooks', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'why137-k8s-runbooks-'));
    for (const f of ['kubernetes-pod.yaml', 'kubernetes-workload.yaml']) cpSync(path.join(projectRoot, 'runbooks', f), path.join(dir, f));
    // No SSH host here: the kernel-log step fails, and the verdict says what it could not see.
    const noSsh: Source<Record<string, unknown>> = {
      name: 'ssh.kernel-log', reads: 'the kernel log', params: z.object({}).passthrough(),
      collect: async () => { throw new RemoteAccessError('denied', 'no ssh.hosts entry for this node'); },
    };
    const sources = {
      'kubernetes.pod': kubernetesPodSource, 'kubernetes.events': kubernetesEventsSource, 'kubernetes.node': kubernetesNodeSource,
      'kubernetes.owner': kubernetesOwnerSource, 'kubernetes.workload-pod': kubernetesWorkloadPodSource, 'ssh.kernel-log': noSsh,
    };
    afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

    test('kubernetes-workload on the Deployment: the newest killed pod, its artifacts, a cgroup OOM', async () => {
      const runbooks = loadRunbooks({ sources, builtinDir: dir });
      const target: Target = { kind: 'k8s-workload', namespace: 'shop', workload: 'deployment', name: 'checkout-api' };
      const result = await runRunbook(runbooks.get('kubernetes-workload')!, { target, clients: h.clients, sources });
      expect(result.steps.map((s) => [s.id, s.status, s.fault])).toEqual([
        ['workload-pod', 'ok', undefined], ['pod', 'ok', undefined], ['events', 'ok', undefined], ['node', 'ok', undefined], ['owner', 'ok', undefined], ['kernel-log', 'failed', 'denied'],
      ]);
      expect(Object.keys(result.artifacts)).toEqual(['events.json', 'node.json', 'pod.json']);
      expect(Object.keys(result.unparsed)).toEqual(['owner.json']);
      expect(JSON.parse(result.artifacts['pod.json']!).metadata.name).toBe('checkout-api-6d8f7b9c54-bq9zr');
      const explanation = explainEvidence(result.evidence, result.inputs);
      expect(explanation.verdict.cause).toBe('cgroup_oom');
      expect(explanation.verdict.target).toMatchObject({ pod: 'checkout-api-6d8f7b9c54-bq9zr' });
    });

    test('kubernetes-pod on the liveness-killed pod (its ReplicaSet was not recorded): a probe failure', async () => {
      const runbooks = loadRunbooks({ sources, builtinDir: dir });
      const result = await runRunbook(runbooks.get('kubernetes-pod')!, { target: LIVENESS_POD, clients: h.clients, sources });
      expect(result.steps.map((s) => [s.id, s.status, s.fault])).toEqual([
        ['pod', 'ok', undefined], ['events', 'ok', undefined], ['node', 'ok', undefined], ['owner', 'failed', 'not_found'], ['kernel-log', 'failed', 'denied'],
      ]);
      expect(explainEvidence(result.evidence, result.inputs).verdict.cause).toBe('probe_failure');
    });
  });
});
