import type { IncidentRecord, Store } from '../../src/store/store.js';
import type { PagerDutyDiagnosisRequest, PagerDutySlack } from '../../src/triggers/pagerduty/pagerduty-slack.js';

export interface FakePagerDutySlack extends PagerDutySlack {
  diagnoses: PagerDutyDiagnosisRequest[];
  /** Diagnoses that finished (the fake's "runbook" ran to the end). */
  finished: string[];
  active: number;
  maxActive: number;
  folds: { incidentId: string; count: number }[];
  posts: { channel: string; text: string; blocks: unknown[] }[];
}

/**
 * A fast stand-in for the Slack side: `diagnose` marks the thread as posted on the incident (threadTs),
 * waits `delayMs` (the runbook; a function of the call's number, from 1), and answers a permalink and a summary; `fail` makes it throw for chosen
 * targets. Counts concurrent diagnoses.
 */
export function fakePagerDutySlack(store: () => Store, options: { delayMs?: number | ((call: number) => number); fail?: (req: PagerDutyDiagnosisRequest) => boolean } = {}): FakePagerDutySlack {
  let seq = 0;
  const fake: FakePagerDutySlack = {
    diagnoses: [], finished: [], active: 0, maxActive: 0, folds: [], posts: [],
    async diagnose(req) {
      fake.diagnoses.push(req);
      fake.active++;
      fake.maxActive = Math.max(fake.maxActive, fake.active);
      try {
        const ts = `1748779${String(200 + ++seq).padStart(3, '0')}.000100`;
        store().updateIncident(req.incidentId, { threadTs: ts, messageTs: ts });
        const delay = typeof options.delayMs === 'function' ? options.delayMs(fake.diagnoses.length) : options.delayMs;
        if (delay) await new Promise((r) => setTimeout(r, delay).unref());
        if (options.fail?.(req)) throw new Error(`why137 cannot read ${req.incidentId}: kubernetes.pod denied (why137_source_unavailable)`);
        store().updateIncident(req.incidentId, { status: 'done' });
        fake.finished.push(req.incidentId);
        return { permalink: `https://acme.slack.com/archives/${req.channel}/p${ts.replace('.', '')}`, summary: 'cgroup_oom: The container used its whole 512 MiB limit and the kernel killed it.' };
      } finally {
        fake.active--;
      }
    },
    async showFolded(incident: IncidentRecord) { fake.folds.push({ incidentId: incident.id, count: incident.triggerCount }); },
    async post(channel, message) { fake.posts.push({ channel, text: message.text, blocks: message.blocks }); },
  };
  return fake;
}
