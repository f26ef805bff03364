import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StepReport } from '../runbooks/run-runbook.js';

/** The bot's Prometheus metrics, on a registry of its own (several apps in one process, e.g. tests, do not collide). */
export interface Metrics {
  registry: Registry;
  diagnoses: Counter<'cause'>;
  stepSeconds: Histogram<'source'>;
  sourceErrors: Counter<'source' | 'fault'>;
  approvals: Counter;
  refusals: Counter;
  executions: Counter<'result'>;
  rollbacks: Counter<'result'>;
  webhookRejections: Counter<'reason'>;
  /** One finished runbook step: its time by source, and its fault when it failed. */
  step(report: StepReport): void;
}

// Sources answer in tens of milliseconds to the 30 s step timeout; buckets span both ends.
const STEP_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

/** A fresh registry with why137's metrics and prom-client's default process metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const m: Omit<Metrics, 'step'> = {
    registry,
    diagnoses: new Counter({ name: 'why137_diagnoses_total', help: 'Diagnoses finished, by verdict cause (no_verdict: no source could be read)', labelNames: ['cause'], registers }),
    stepSeconds: new Histogram({ name: 'why137_runbook_step_seconds', help: 'Wall time of runbook steps, by source', labelNames: ['source'], buckets: STEP_BUCKETS, registers }),
    sourceErrors: new Counter({ name: 'why137_source_errors_total', help: 'Runbook steps that failed, by source and fault', labelNames: ['source', 'fault'], registers }),
    approvals: new Counter({ name: 'why137_approvals_total', help: 'Proposals approved', registers }),
    refusals: new Counter({ name: 'why137_refusals_total', help: 'Clicks or submissions refused (approver, thread, expiry, changed target)', registers }),
    executions: new Counter({ name: 'why137_executions_total', help: 'Approved edits applied, by result', labelNames: ['result'], registers }),
    rollbacks: new Counter({ name: 'why137_rollbacks_total', help: 'Rollbacks, by result', labelNames: ['result'], registers }),
    webhookRejections: new Counter({ name: 'why137_webhook_rejections_total', help: 'Inbound webhooks rejected, by reason', labelNames: ['reason'], registers }),
  };
  return {
    ...m,
    step(report) {
      if (report.status === 'skipped') return;
      m.stepSeconds.observe({ source: report.source }, report.ms / 1000);
      if (report.fault) m.sourceErrors.inc({ source: report.source, fault: report.fault });
    },
  };
}
