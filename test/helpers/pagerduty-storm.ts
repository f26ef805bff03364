import { readFileSync } from 'node:fs';
import type { FakePagerDutyApi } from '../fakes/pagerduty-api.js';
import { fixturePath } from './fixture-path.js';
import { eventId, postSigned, webhookVariant } from './pagerduty-webhooks.js';

/** One delivery of a storm: its own event and PagerDuty incident, the Alertmanager alert of pod `web-<target>`. */
export interface StormEvent {
  n: number;
  target: number;
  incidentId: string;
  body: string;
}

/**
 * `events` KubePodCrashLooping deliveries spread round-robin over `targets` pods, each a distinct
 * PagerDuty incident whose first alert (served by the fake API) names its pod.
 */
export function stormEvents(api: FakePagerDutyApi, events: number, targets: number, offset = 0): StormEvent[] {
  const answer = JSON.parse(readFileSync(fixturePath('pagerduty', 'alerts-alertmanager-kubepodcrashlooping.json'), 'utf8')) as { alerts: Record<string, unknown>[] };
  const template = JSON.stringify(answer.alerts[0]);
  const out: StormEvent[] = [];
  for (let i = 0; i < events; i++) {
    const n = offset + i;
    const target = i % targets;
    const incidentId = `QSTORM${String(n).padStart(6, '0')}`;
    api.setAlerts(incidentId, [JSON.parse(template.replaceAll('Q2K8ZPL9AB3CDE', incidentId).replaceAll('web-7d9f8b6c5-x2x9k', `web-${target}`))]);
    out.push({ n, target, incidentId, body: webhookVariant('webhook-alertmanager-kubepodcrashlooping.json', { eventId: eventId(n), incidentId, title: `[FIRING:1] KubePodCrashLooping prod-eu (app shop web-${target})` }) });
  }
  return out;
}

/**
 * Sends every delivery (at most `concurrency` at once) until it gets a 2xx, as PagerDuty retries 5xx and
 * connection failures; `url()` is read per attempt, so a restart on another port is followed.
 * Returns the statuses that ended each delivery, and how many attempts failed.
 */
export async function sendStorm(events: StormEvent[], url: () => string, secrets: string[], options: { concurrency?: number; onAccepted?: (accepted: number) => void } = {}): Promise<{ statuses: number[]; retries: number; ms: number }> {
  const statuses: number[] = new Array(events.length);
  let next = 0;
  let accepted = 0;
  let retries = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < events.length) {
      const i = next++;
      for (;;) {
        try {
          const r = await postSigned(url(), events[i]!.body, secrets);
          if (r.status >= 200 && r.status < 300) { statuses[i] = r.status; break; }
          if (r.status < 500) throw new Error(`delivery ${i} refused: ${r.status} ${r.text}`);
        } catch (err) {
          if ((err as Error).message.startsWith('delivery')) throw err;
        }
        retries++;
        await new Promise((r) => setTimeout(r, 10));
      }
      options.onAccepted?.(++accepted);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 25 }, worker));
  return { statuses, retries, ms: performance.now() - t0 };
}
