import type { AuditEntry, Store } from '../store/store.js';
import type { Metrics } from './create-metrics.js';

/**
 * The store with its audit trail counted: approvals, refusals, executions, rollbacks and webhook
 * rejections are each audited exactly where they happen, so counting there keeps the metrics and the
 * audit log from drifting apart.
 */
export function meteredStore(store: Store, metrics: Metrics): Store {
  const count = (e: Omit<AuditEntry, 'at'>): void => {
    if (e.action === 'reject_webhook') { metrics.webhookRejections.inc({ reason: rejectionReason(e.detail) }); return; }
    if (e.action === 'approve' && e.result === 'ok') metrics.approvals.inc();
    if (e.action === 'execute') metrics.executions.inc({ result: e.result });
    if (e.action === 'rollback') metrics.rollbacks.inc({ result: e.result });
    if (e.result === 'refused') metrics.refusals.inc();
  };
  return {
    ...store,
    audit(entry: Parameters<Store['audit']>[0]) {
      store.audit(entry);
      try { count(entry); } catch { /* a metric never fails the audited action */ }
    },
  };
}

/** A bounded label from the rejection's audited detail (see verify-pagerduty-signature.ts). */
function rejectionReason(detail: string): string {
  if (detail.startsWith('X-PagerDuty-Signature missing')) return 'signature_missing';
  if (detail.startsWith('X-PagerDuty-Signature has no v1')) return 'signature_malformed';
  if (detail.startsWith('no v1 signature matched')) return 'signature_mismatch';
  if (detail.startsWith('no signing secret')) return 'no_secret';
  return 'other';
}
