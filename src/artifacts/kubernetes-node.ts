import type { StructuredParser } from './artifact-parser.js';
import type { NodeEvidence } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import { asRecord } from './kubernetes/as-record.js';
import { defined } from './kubernetes/defined.js';
import { k8sTime } from './kubernetes/k8s-time.js';
import { quantityAt } from './kubernetes/quantity-at.js';

const expected = '`kubectl get node -o json|yaml` output (a Node or a list of Nodes)';

/** `kubectl get node -o json|yaml`: one `node` item per Node, with its MemoryPressure condition and memory size. */
export const kubernetesNode = {
  format: 'structured',
  kind: 'kubernetes.node',
  expected,
  detect(doc: unknown): boolean {
    const d = asRecord(doc);
    if (!d) return false;
    if (d.kind === 'Node' || d.kind === 'NodeList') return d.apiVersion === 'v1';
    return d.kind === 'List' && Array.isArray(d.items) && d.items.length > 0 && d.items.every((i) => asRecord(i)?.kind === 'Node');
  },
  parse(doc: unknown, file: string) {
    const d = asRecord(doc)!;
    if (d.kind === 'Node') return [nodeEvidence(d, '', file)];
    if (!Array.isArray(d.items)) throw new ArtifactInvalidError(file, expected, `a ${String(d.kind)} without an items list`);
    return d.items.map((item, i) => {
      const node = asRecord(item);
      if (!node || (node.kind !== undefined && node.kind !== 'Node')) throw new ArtifactInvalidError(file, expected, `items[${i}] is not a Node`);
      return nodeEvidence(node, `items[${i}].`, file);
    });
  },
} satisfies StructuredParser;

function nodeEvidence(node: Record<string, unknown>, at: string, file: string): NodeEvidence {
  const name = asRecord(node.metadata)?.name;
  if (typeof name !== 'string' || name === '') throw new ArtifactInvalidError(file, expected, `a Node without ${at}metadata.name`);
  const status = asRecord(node.status);
  if (!status) throw new ArtifactInvalidError(file, expected, `Node ${name} has no ${at}status (a manifest rather than \`kubectl get node\` output?)`);
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const i = conditions.findIndex((c) => asRecord(c)?.type === 'MemoryPressure');
  const mp = i >= 0 ? asRecord(conditions[i])! : undefined;
  // Unknown (the kubelet stopped reporting) is neither pressure nor its absence.
  const pressure = mp?.status === 'True' ? true : mp?.status === 'False' ? false : undefined;
  const info = asRecord(status.nodeInfo);
  return defined({
    kind: 'node' as const,
    cite: mp
      ? { file, at: `${at}status.conditions[${i}].status`, excerpt: `MemoryPressure ${String(mp.status)}${typeof mp.reason === 'string' ? ` (${mp.reason})` : ''}` }
      : { file, at: `${at}status` },
    subject: { platform: 'kubernetes' as const, node: name },
    name,
    memoryPressure: pressure,
    // "Since" the pressure began; when it is False the transition time is when it ended, so it is not given.
    memoryPressureSince: pressure ? k8sTime(mp?.lastTransitionTime) : undefined,
    memoryPressureMessage: typeof mp?.message === 'string' && mp.message !== '' ? mp.message : undefined,
    capacityBytes: quantityAt(asRecord(status.capacity)?.memory, file, expected, `${at}status.capacity.memory`),
    allocatableBytes: quantityAt(asRecord(status.allocatable)?.memory, file, expected, `${at}status.allocatable.memory`),
    kubeletVersion: typeof info?.kubeletVersion === 'string' ? info.kubeletVersion : undefined,
  });
}
