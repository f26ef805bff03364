import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { kubernetesNode } from '../../src/artifacts/kubernetes-node.js';
import { fixturePath } from '../helpers/fixture-path.js';

const fx = (name: string) => fixturePath('kubernetes', name);
const tmp = mkdtempSync(path.join(tmpdir(), 'why137-k8s-node-'));

describe('kubernetes.node: kubectl get node -o json|yaml', () => {
  test.each([
    ['node-memory-pressure.json', {
      kind: 'node', name: 'ip-10-42-1-54.eu-west-1.compute.internal', memoryPressure: true, memoryPressureSince: '2024-05-15T11:04:12Z',
      memoryPressureMessage: 'kubelet has insufficient memory available', capacityBytes: 16393540 * 1024, allocatableBytes: 15242564 * 1024, kubeletVersion: 'v1.29.3-eks-ae9a62a',
      subject: { platform: 'kubernetes', node: 'ip-10-42-1-54.eu-west-1.compute.internal' },
      cite: { file: fx('node-memory-pressure.json'), at: 'status.conditions[0].status', excerpt: 'MemoryPressure True (KubeletHasInsufficientMemory)' },
    }],
    ['node-healthy.yaml', {
      kind: 'node', name: 'ip-10-42-3-117.eu-west-1.compute.internal', memoryPressure: false,
      memoryPressureMessage: 'kubelet has sufficient memory available', capacityBytes: 7910312 * 1024, allocatableBytes: 7220136 * 1024, kubeletVersion: 'v1.29.3-eks-ae9a62a',
      subject: { platform: 'kubernetes', node: 'ip-10-42-3-117.eu-west-1.compute.internal' },
      cite: { file: fx('node-healthy.yaml'), at: 'items[0].status.conditions[0].status', excerpt: 'MemoryPressure False (KubeletHasSufficientMemory)' },
    }],
  ])('%s', async (name, want) => {
    const r = await readArtifact(fx(name));
    expect(r.kind).toBe('kubernetes.node');
    // toEqual: no memoryPressureSince when there is no pressure (its transition time is when pressure ended).
    expect(r.evidence).toEqual([want]);
  });

  test('JSON and YAML of the same node give the same evidence', async () => {
    const yamlFile = path.join(tmp, 'node.yaml');
    writeFileSync(yamlFile, stringify(JSON.parse(readFileSync(fx('node-memory-pressure.json'), 'utf8'))));
    const strip = (ev: Evidence[]) => ev.map((e) => ({ ...e, cite: { ...e.cite, file: '' } }));
    expect(strip((await readArtifact(yamlFile)).evidence)).toEqual(strip((await readArtifact(fx('node-memory-pressure.json'))).evidence));
  });

  test('MemoryPressure Unknown (kubelet not reporting) is neither true nor false', () => {
    const ev = kubernetesNode.parse({ apiVersion: 'v1', kind: 'NodeList', items: [{ metadata: { name: 'n1' }, status: { conditions: [{ type: 'MemoryPressure', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] } }] }, 'nodes.json');
    expect(ev).toEqual([{ kind: 'node', name: 'n1', memoryPressureMessage: 'Kubelet stopped posting node status.', subject: { platform: 'kubernetes', node: 'n1' }, cite: { file: 'nodes.json', at: 'items[0].status.conditions[0].status', excerpt: 'MemoryPressure Unknown (NodeStatusUnknown)' } }]);
  });

  test.each([
    ['a Pod', { apiVersion: 'v1', kind: 'Pod' }],
    ['a List of Events', { apiVersion: 'v1', kind: 'List', items: [{ kind: 'Event' }] }],
  ])('detect rejects %s', (_what, doc) => {
    expect(kubernetesNode.detect(doc)).toBe(false);
  });

  test.each([
    ['no status', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }, /n1: .*Node n1 has no status/],
    ['a memory capacity that is no quantity', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { memory: 'lots' } } }, /status\.capacity\.memory is "lots"/],
  ])('a Node with %s is invalid', async (_what, doc, message) => {
    const file = path.join(tmp, 'n1');
    writeFileSync(file, JSON.stringify(doc));
    await expect(readArtifact(file)).rejects.toMatchObject({ code: 'why137_artifact_invalid', message: expect.stringMatching(message) });
  });
});
