import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import type { Evidence, KubeEventEvidence } from '../../src/diagnosis/evidence.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { kubernetesEvents } from '../../src/artifacts/kubernetes-events.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';

const fx = (name: string) => fixturePath('kubernetes', name);
const tmp = mkdtempSync(path.join(tmpdir(), 'why137-k8s-events-'));

async function events(name: string): Promise<KubeEventEvidence[]> {
  const r = await readArtifact(fx(name));
  expect(r.kind).toBe('kubernetes.events');
  expect(r.evidence.every((e: Evidence) => e.kind === 'k8s.event')).toBe(true);
  return ofKind(r.evidence, 'k8s.event');
}

const gatewayPod = { platform: 'kubernetes', pod: 'search-gateway-84c6d7f9b5-tn5vd', namespace: 'search', podUid: 'c0d1e2f3-a4b5-4c6d-8e7f-9a0b1c2d3e4f' };

describe('kubernetes.events: kubectl get events -o json|yaml', () => {
  test.each<[string, number, string, Record<string, unknown>, (e: KubeEventEvidence) => boolean]>([
    ['events-liveness-probe.json', 7, 'Unhealthy', {
      reason: 'Unhealthy', type: 'Warning', count: 18, component: 'kubelet', involvedKind: 'Pod', fieldPath: 'spec.containers{gateway}',
      firstTimestamp: '2024-05-16T10:05:41Z', lastTimestamp: '2024-05-16T10:52:11Z',
      message: 'Liveness probe failed: Get "http://10.244.2.31:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      subject: { ...gatewayPod, containerName: 'gateway', node: 'aks-nodepool1-31718369-vmss000002' },
    }, (e) => e.message.startsWith('Liveness')],
    ['events-liveness-probe.json', 7, 'Killing', {
      reason: 'Killing', type: 'Normal', count: 6, message: 'Container gateway failed liveness probe, will be restarted',
      subject: { ...gatewayPod, containerName: 'gateway', node: 'aks-nodepool1-31718369-vmss000002' },
    }, (e) => e.reason === 'Killing'],
    ['events-oomkilling-node.yaml', 2, 'OOMKilling', {
      reason: 'OOMKilling', type: 'Warning', count: 1, component: 'kernel-monitor', involvedKind: 'Node', firstTimestamp: '2024-05-17T08:12:09Z',
      subject: { platform: 'kubernetes', node: 'ip-10-42-4-33.eu-west-1.compute.internal', pid: 2514 },
    }, (e) => e.message.includes('Killed process 2514 (java)')],
    ['events-system-oom.json', 3, 'SystemOOM', {
      reason: 'SystemOOM', type: 'Warning', count: 1, component: 'kubelet', involvedKind: 'Node',
      message: 'System OOM encountered, victim process: checkout-api, pid: 31337',
      firstTimestamp: '2024-05-14T09:17:43Z', lastTimestamp: '2024-05-14T09:17:43Z',
      subject: { platform: 'kubernetes', node: 'ip-10-42-3-117.eu-west-1.compute.internal', pid: 31337 },
    }, (e) => e.reason === 'SystemOOM'],
    ['events-system-oom.json', 3, 'NodeHasInsufficientMemory', {
      reason: 'NodeHasInsufficientMemory', count: 3, firstTimestamp: '2024-05-14T09:11:50Z', lastTimestamp: '2024-05-14T09:17:41Z',
      subject: { platform: 'kubernetes', node: 'ip-10-42-3-117.eu-west-1.compute.internal' },
    }, (e) => e.reason === 'NodeHasInsufficientMemory'],
    ['events-eviction.json', 5, 'Evicted', {
      reason: 'Evicted', type: 'Warning', component: 'kubelet', involvedKind: 'Pod',
      message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 61236Ki. Container web was using 1843212Ki, request is 256Mi, has larger consumption of its request.',
      subject: { platform: 'kubernetes', pod: 'web-frontend-7b9d5c6f48-mz8rt', namespace: 'storefront', podUid: '3b9f6e2d-8c1a-4d7e-a5f0-b2c4d6e8f013', node: 'ip-10-42-1-54.eu-west-1.compute.internal' },
    }, (e) => e.reason === 'Evicted'],
    ['events-eviction.json', 5, 'EvictionThresholdMet', {
      reason: 'EvictionThresholdMet', message: 'Attempting to reclaim memory', count: 2, involvedKind: 'Node',
      subject: { platform: 'kubernetes', node: 'ip-10-42-1-54.eu-west-1.compute.internal' },
    }, (e) => e.reason === 'EvictionThresholdMet'],
    // Written through the new events API: eventTime and series instead of firstTimestamp and count.
    ['events-eviction.json', 5, 'Preempted', {
      reason: 'Preempted', count: 2, component: 'default-scheduler', firstTimestamp: '2024-05-15T11:06:02.417283Z', lastTimestamp: '2024-05-15T11:06:09.102938Z',
      subject: { platform: 'kubernetes', pod: 'batch-reindex-28597140-pl6xz', namespace: 'storefront', podUid: 'd4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a' },
    }, (e) => e.reason === 'Preempted'],
    ['events-killing-scale-down.json', 3, 'SuccessfulDelete', {
      reason: 'SuccessfulDelete', component: 'replicaset-controller', involvedKind: 'ReplicaSet',
      subject: { platform: 'kubernetes', namespace: 'orders', pod: 'order-events-consumer-5c8b7d6f9-hp2lw' },
    }, (e) => e.reason === 'SuccessfulDelete'],
    ['events-killing-scale-down.json', 3, 'Killing', {
      reason: 'Killing', message: 'Stopping container consumer', fieldPath: 'spec.containers{consumer}',
      subject: { platform: 'kubernetes', namespace: 'orders', pod: 'order-events-consumer-5c8b7d6f9-hp2lw', podUid: '8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a', containerName: 'consumer', node: 'ip-10-42-2-9.eu-west-1.compute.internal' },
    }, (e) => e.reason === 'Killing'],
    ['events-killing-scale-down.json', 3, 'ScalingReplicaSet', {
      reason: 'ScalingReplicaSet', message: 'Scaled down replica set order-events-consumer-5c8b7d6f9 to 2 from 3', involvedKind: 'Deployment', component: 'deployment-controller',
      subject: { platform: 'kubernetes', namespace: 'orders' },
    }, (e) => e.reason === 'ScalingReplicaSet'],
    ['event-backoff.yaml', 1, 'BackOff', {
      reason: 'BackOff', count: 311, type: 'Warning',
      subject: { platform: 'kubernetes', pod: 'checkout-api-6d8f7b9c54-x7k2p', namespace: 'shop', podUid: '7c1e2a9b-4f3d-4e8a-9b6c-2d5f8a1e3c47', containerName: 'app', node: 'ip-10-42-3-117.eu-west-1.compute.internal' },
    }, (e) => e.reason === 'BackOff'],
  ])('%s (%i events): %s', async (name, total, _label, want, pick) => {
    const ev = await events(name);
    expect(ev).toHaveLength(total);
    const found = ev.find(pick);
    expect(found).toBeDefined();
    const { subject, ...rest } = want;
    expect(found).toMatchObject(rest);
    if (subject) expect(found!.subject).toEqual(subject);
  });

  test('cites the event by its place in the list', async () => {
    const ev = await events('events-system-oom.json');
    expect(ev.map((e) => e.cite.at)).toEqual(['items[0].reason', 'items[1].reason', 'items[2].reason']);
    expect(ev[0]!.cite).toEqual({ file: fx('events-system-oom.json'), at: 'items[0].reason', excerpt: 'SystemOOM: System OOM encountered, victim process: checkout-api, pid: 31337' });
    expect((await events('event-backoff.yaml'))[0]!.cite.at).toBe('reason');
  });

  test('JSON and YAML of the same events give the same evidence', async () => {
    const yamlFile = path.join(tmp, 'events-liveness-probe.yaml');
    writeFileSync(yamlFile, stringify(JSON.parse(readFileSync(fx('events-liveness-probe.json'), 'utf8'))));
    const strip = (ev: Evidence[]) => ev.map((e) => ({ ...e, cite: { ...e.cite, file: '' } }));
    expect(strip((await readArtifact(yamlFile)).evidence)).toEqual(strip(await events('events-liveness-probe.json')));
  });

  test('parse directly gives what readArtifact gives', async () => {
    const doc: unknown = parseYaml(readFileSync(fx('events-oomkilling-node.yaml'), 'utf8'));
    expect(kubernetesEvents.detect(doc)).toBe(true);
    expect(kubernetesEvents.parse(doc, fx('events-oomkilling-node.yaml'))).toEqual(await events('events-oomkilling-node.yaml'));
  });

  test.each([
    ['a Pod', { apiVersion: 'v1', kind: 'Pod' }],
    ['an Event of an unknown API', { apiVersion: 'example.com/v1', kind: 'Event' }],
    ['a List of Pods', { apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod' }] }],
    ['null', null],
  ])('detect rejects %s', (_what, doc) => {
    expect(kubernetesEvents.detect(doc)).toBe(false);
  });

  test('an Event about nothing is invalid, one line naming the file', async () => {
    const file = path.join(tmp, 'event.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'EventList', items: [{ kind: 'Event', reason: 'Killing', message: 'x' }] }));
    await expect(readArtifact(file)).rejects.toThrow(Why137Error);
    await expect(readArtifact(file)).rejects.toMatchObject({ code: 'why137_artifact_invalid', message: expect.stringMatching(new RegExp(`^${file}: items\\[0\\]\\. has neither involvedObject nor regarding`)) });
  });
});
