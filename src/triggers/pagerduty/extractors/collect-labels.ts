import type { AlertFields } from '../alert-fields.js';

const LABEL_OBJECTS = ['labels', 'commonLabels', 'common_labels', 'groupLabels'];
// Alertmanager's default PagerDuty details: `firing` is its __text_alert_list template, one block per alert:
// "Labels:\n - alertname = KubePodCrashLooping\n - namespace = shop\n…\nAnnotations:\n…\nSource: …".
const LABEL_LINE = /^\s*-\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/**
 * Prometheus-style labels of the alert, from (first found wins per name): a labels object in the
 * custom details (`labels`, `commonLabels`, the first of `alerts[].labels`), the first alert in
 * Alertmanager's `firing` text, then the custom details' own scalar fields (`pod: web-7d9`).
 */
export function collectLabels(fields: AlertFields): Record<string, string> {
  const labels: Record<string, string> = {};
  const add = (from: unknown): void => {
    if (typeof from !== 'object' || from === null || Array.isArray(from)) return;
    for (const [k, v] of Object.entries(from)) {
      if ((typeof v === 'string' || typeof v === 'number') && !(k in labels)) labels[k] = String(v);
    }
  };
  const cd = fields.customDetails;
  if (typeof cd === 'string') { add(firingLabels(cd)); return labels; }
  if (typeof cd !== 'object' || cd === null || Array.isArray(cd)) return labels;
  const details = cd as Record<string, unknown>;
  for (const key of LABEL_OBJECTS) add(details[key]);
  const alerts = details.alerts;
  if (Array.isArray(alerts)) add((alerts[0] as { labels?: unknown } | undefined)?.labels);
  if (typeof details.firing === 'string') add(firingLabels(details.firing));
  add(details);
  return labels;
}

/** The labels of the first alert in Alertmanager's text alert list. */
function firingLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let inLabels = false;
  for (const line of text.slice(0, 64 * 1024).split('\n')) {
    if (/^\s*Labels:\s*$/.test(line)) { if (Object.keys(labels).length > 0) break; inLabels = true; continue; }
    if (!inLabels) continue;
    const m = LABEL_LINE.exec(line);
    if (!m) { inLabels = false; continue; }
    labels[m[1]!] = m[2]!;
  }
  return labels;
}
