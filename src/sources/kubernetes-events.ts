import { z } from 'zod';
import type { KubernetesClients } from '../clients/clients.js';
import type { Source } from './source.js';
import { asRecord } from '../artifacts/kubernetes/as-record.js';
import { kubeRead } from './kubernetes/kube-read.js';
import { kubectlJson } from './kubernetes/kubectl-json.js';
import { fieldSelector } from './kubernetes/field-selector.js';
import { podRef } from './kubernetes/pod-ref.js';

const NAME = 'kubernetes.events';
// NOTE: events about cluster-scoped objects (the kubelet's SystemOOM, NodeHasInsufficientMemory, EvictionThresholdMet,
// node-problem-detector's OOMKilling) are recorded in the default namespace (client-go's recorder falls back to it).
const NODE_EVENTS_NAMESPACE = 'default';
// Events are kept an hour (kube-apiserver --event-ttl) and repeats are folded into `count`: a page is plenty.
const PAGE = 500;

const params = z.object({
  /** Also read the node's events (OOM and memory-pressure reports live there). */
  nodeEvents: z.boolean().default(true),
  /** Most events kept per query. */
  maxEvents: z.number().int().positive().max(5000).default(1000),
}).strict();

/**
 * `kubectl get events -o json` for the pod (field selector on involvedObject kind, name, namespace and, once
 * the pod step ran, uid) and for its node, in one List → `events.json`. A node-event read that is refused or
 * fails (but not throttled) does not lose the pod's events: it is reported in the `nodeEventsError` fact. Facts: eventCount, podEventCount,
 * nodeEventCount, reasons.
 */
export const kubernetesEventsSource: Source<z.infer<typeof params>> = {
  name: NAME,
  reads: 'Events about the pod and its node (list events)',
  params,
  async collect(ctx) {
    const ref = podRef(NAME, ctx);
    const k = ctx.clients.kubernetes(ref.context);
    const max = ctx.params.maxEvents;
    const podSelector = fieldSelector({
      'involvedObject.kind': 'Pod',
      'involvedObject.name': ref.pod,
      'involvedObject.namespace': ref.namespace,
      ...(ref.podUid ? { 'involvedObject.uid': ref.podUid } : {}),
    });
    const pod = await listEvents(k, ref.namespace, podSelector, max, ctx.signal);
    let calls = pod.calls;
    let node: Listed = { items: [], calls: 0 };
    let nodeEventsError: string | undefined;
    if (ctx.params.nodeEvents && ref.nodeName) {
      try {
        node = await listEvents(k, NODE_EVENTS_NAMESPACE, fieldSelector({ 'involvedObject.kind': 'Node', 'involvedObject.name': ref.nodeName }), max, ctx.signal);
      } catch (err) {
        // Throttling fails the step so the engine's backoff retries it; an abort is the step's timeout.
        if (ctx.signal.aborted || (err as { code?: unknown }).code === 429) throw err;
        // KubernetesApiError messages are one line already (`HTTP 403 Forbidden: …`).
        nodeEventsError = `node ${ref.nodeName} events: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
        node = { items: [], calls: 1 };
      }
      calls += node.calls;
    }
    const seen = new Set<string>();
    const items: Record<string, unknown>[] = [...pod.items, ...node.items].filter((e) => {
      const uid = asRecord(e.metadata)?.uid;
      if (typeof uid !== 'string') return true;
      if (seen.has(uid)) return false;
      seen.add(uid);
      return true;
    }).map((e) => ({ ...e, apiVersion: 'v1', kind: 'Event' }));
    // kubectl prints `kind: List`; an empty List is not recognisable as events, so none is the API's own EventList.
    const list = items.length > 0
      ? { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }
      : { apiVersion: 'v1', items, kind: 'EventList', metadata: { resourceVersion: '' } };
    return {
      artifacts: [{ name: 'events.json', content: kubectlJson(list) }],
      facts: {
        eventCount: items.length,
        podEventCount: pod.items.length,
        nodeEventCount: node.items.length,
        reasons: [...new Set(items.map((e) => e.reason).filter((r): r is string => typeof r === 'string'))],
        ...(nodeEventsError ? { nodeEventsError } : {}),
      },
      calls,
    };
  },
};

interface Listed { items: Record<string, unknown>[]; calls: number }

async function listEvents(k: KubernetesClients, namespace: string, selector: string, max: number, signal: AbortSignal): Promise<Listed> {
  const items: Record<string, unknown>[] = [];
  let calls = 0;
  let cont: string | undefined;
  do {
    const page = await kubeRead(signal, (options) => k.core.listNamespacedEvent({ namespace, fieldSelector: selector, limit: Math.min(PAGE, max - items.length), ...(cont ? { _continue: cont } : {}) }, options));
    calls++;
    for (const i of Array.isArray(page.items) ? page.items : []) if (asRecord(i)) items.push(i as Record<string, unknown>);
    const next = asRecord(page.metadata)?.continue;
    cont = typeof next === 'string' && next !== '' ? next : undefined;
  } while (cont && items.length < max);
  return { items, calls };
}
