import type { StructuredParser } from './artifact-parser.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import { asRecord } from './kubernetes/as-record.js';
import { eventEvidence } from './kubernetes/event-evidence.js';

const expected = '`kubectl get events -o json|yaml` output (Events or a list of them)';
const API_VERSIONS = new Set(['v1', 'events.k8s.io/v1', 'events.k8s.io/v1beta1']);

/** `kubectl get events -o json|yaml`: one Event, an EventList, or a `List` whose items are all Events (core/v1 or events.k8s.io). */
export const kubernetesEvents = {
  format: 'structured',
  kind: 'kubernetes.events',
  expected,
  detect(doc: unknown): boolean {
    const d = asRecord(doc);
    if (!d) return false;
    if (d.kind === 'Event' || d.kind === 'EventList') return typeof d.apiVersion === 'string' && API_VERSIONS.has(d.apiVersion);
    return d.kind === 'List' && Array.isArray(d.items) && d.items.length > 0 && d.items.every((i) => asRecord(i)?.kind === 'Event');
  },
  parse(doc: unknown, file: string) {
    const d = asRecord(doc)!;
    if (d.kind === 'Event') return [eventEvidence(d, '', file, expected)];
    if (!Array.isArray(d.items)) throw new ArtifactInvalidError(file, expected, `a ${String(d.kind)} without an items list`);
    return d.items.map((item, i) => {
      const ev = asRecord(item);
      if (!ev || (ev.kind !== undefined && ev.kind !== 'Event')) throw new ArtifactInvalidError(file, expected, `items[${i}] is not an Event`);
      return eventEvidence(ev, `items[${i}].`, file, expected);
    });
  },
} satisfies StructuredParser;
