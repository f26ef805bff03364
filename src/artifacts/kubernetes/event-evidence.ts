import type { KubeEventEvidence, Subject } from '../../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../../errors/artifact-invalid-error.js';
import { asRecord } from './as-record.js';
import { containerFromEvent } from './container-from-event.js';
import { defined } from './defined.js';
import { k8sTime } from './k8s-time.js';
import { pidFromEvent } from './pid-from-event.js';

/**
 * One `k8s.event` from a core/v1 Event (`involvedObject`, `source`, `count`, `firstTimestamp`) or an
 * events.k8s.io/v1 Event (`regarding`, `note`, `series`, `reportingController`, `deprecated*`).
 *
 * Subject: a Pod's name/namespace/uid, the container from `fieldPath`; a Node's name as `node`; the kubelet's
 * host as `node` for pod events. OOM events (`SystemOOM`, node-problem-detector `OOMKilling`) put the killed
 * PID in `subject.pid` and keep the victim's process name only in the message. A controller's
 * `SuccessfulDelete` ("Deleted pod: web-1") names the deleted pod as the subject's pod, so a scale-down
 * joins the pod it stopped. An event without `count`, `series.count` or `deprecatedCount` happened once.
 */
export function eventEvidence(ev: Record<string, unknown>, at: string, file: string, expected: string): KubeEventEvidence {
  const obj = asRecord(ev.involvedObject) ?? asRecord(ev.regarding);
  if (!obj) throw new ArtifactInvalidError(file, expected, `${at || 'the Event'} has neither involvedObject nor regarding`);
  const reason = str(ev.reason) ?? '';
  const message = (str(ev.message) ?? str(ev.note) ?? '').trim();
  const series = asRecord(ev.series);
  const source = asRecord(ev.source) ?? asRecord(ev.deprecatedSource);
  const component = str(source?.component) ?? str(ev.reportingComponent) ?? str(ev.reportingController);
  const kind = str(obj.kind);
  const fieldPath = str(obj.fieldPath);
  const eventTime = k8sTime(ev.eventTime);
  const count = num(ev.count) ?? num(series?.count) ?? num(ev.deprecatedCount) ?? 1;

  const subject: Subject = { platform: 'kubernetes' };
  const ns = str(obj.namespace) ?? str(asRecord(ev.metadata)?.namespace);
  if (kind === 'Node') {
    subject.node = str(obj.name);
  } else {
    if (ns) subject.namespace = ns;
    if (kind === 'Pod') {
      subject.pod = str(obj.name);
      subject.podUid = str(obj.uid);
      subject.containerName = containerFromEvent(fieldPath, message);
    } else if (reason === 'SuccessfulDelete') {
      subject.pod = /^Deleted pod: (\S+)/.exec(message)?.[1];
    }
    // The kubelet reports from the node it runs on; a controller's host says nothing about the pod.
    if (component === 'kubelet') subject.node = str(source?.host) ?? str(ev.reportingInstance);
  }
  if (reason === 'SystemOOM' || reason === 'OOMKilling' || /Killed process \d+ \(/.test(message)) subject.pid = pidFromEvent(message);

  return defined({
    kind: 'k8s.event' as const,
    cite: { file, at: `${at}reason`, excerpt: `${reason}: ${message}`.slice(0, 300) },
    subject: defined(subject),
    reason,
    message,
    type: str(ev.type),
    count,
    firstTimestamp: k8sTime(ev.firstTimestamp) ?? k8sTime(ev.deprecatedFirstTimestamp) ?? eventTime,
    lastTimestamp: k8sTime(ev.lastTimestamp) ?? k8sTime(ev.deprecatedLastTimestamp) ?? k8sTime(series?.lastObservedTime) ?? eventTime,
    involvedKind: kind,
    fieldPath,
    component,
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
