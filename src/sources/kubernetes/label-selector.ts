import { asRecord } from '../../artifacts/kubernetes/as-record.js';

/**
 * A workload's spec.selector (matchLabels and matchExpressions) as a labelSelector query string, the way
 * metav1.FormatLabelSelector writes it. Undefined for a missing or empty selector, which selects nothing
 * for a workload (the API server rejects one) and so must not become "every pod".
 */
export function labelSelector(selector: unknown): string | undefined {
  const s = asRecord(selector);
  if (!s) return undefined;
  const terms: string[] = [];
  const labels = asRecord(s.matchLabels) ?? {};
  for (const key of Object.keys(labels).sort()) terms.push(`${key}=${String(labels[key])}`);
  for (const raw of Array.isArray(s.matchExpressions) ? s.matchExpressions : []) {
    const e = asRecord(raw);
    if (!e || typeof e.key !== 'string') continue;
    const values = (Array.isArray(e.values) ? e.values : []).map(String).sort();
    switch (e.operator) {
      case 'In': terms.push(`${e.key} in (${values.join(',')})`); break;
      case 'NotIn': terms.push(`${e.key} notin (${values.join(',')})`); break;
      case 'Exists': terms.push(e.key); break;
      case 'DoesNotExist': terms.push(`!${e.key}`); break;
      default: break;
    }
  }
  return terms.length > 0 ? terms.join(',') : undefined;
}
