import type { StructuredParser } from './artifact-parser.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import { asRecord } from './kubernetes/as-record.js';
import { podEvidence } from './kubernetes/pod-evidence.js';

const expected = '`kubectl get pod -o json|yaml` output (a Pod or a list of Pods)';

/** `kubectl get pod -o json|yaml`: one Pod, a PodList, or a `List` whose items are all Pods. */
export const kubernetesPod = {
  format: 'structured',
  kind: 'kubernetes.pod',
  expected,
  detect(doc: unknown): boolean {
    const d = asRecord(doc);
    if (!d) return false;
    if (d.kind === 'Pod' || d.kind === 'PodList') return d.apiVersion === 'v1';
    // `kubectl get pods -o json` prints kind List; a mixed list (`get pod,events`) is not ours.
    return d.kind === 'List' && Array.isArray(d.items) && d.items.length > 0 && d.items.every((i) => asRecord(i)?.kind === 'Pod');
  },
  parse(doc: unknown, file: string) {
    const d = asRecord(doc)!;
    if (d.kind === 'Pod') return podEvidence(d, '', file, expected);
    if (!Array.isArray(d.items)) throw new ArtifactInvalidError(file, expected, `a ${String(d.kind)} without an items list`);
    return d.items.flatMap((item, i) => {
      const pod = asRecord(item);
      // Items of a PodList straight from the API carry no kind; kubectl adds it.
      if (!pod || (pod.kind !== undefined && pod.kind !== 'Pod')) throw new ArtifactInvalidError(file, expected, `items[${i}] is not a Pod`);
      return podEvidence(pod, `items[${i}].`, file, expected);
    });
  },
} satisfies StructuredParser;
