/** What a target is read from: the incident title, and the first alert's body once fetched. */
export interface AlertFields {
  title: string;
  /** The alert's `body` as PagerDuty keeps it (`details`, `cef_details`, `contexts`); undefined until fetched. */
  body?: Record<string, unknown>;
  /** What the monitor sent as custom_details: `body.details`, else `body.cef_details.details`; JSON text is parsed. */
  customDetails?: unknown;
}

/** Builds the fields from the incident title and (when fetched) its first alert. */
export function alertFields(title: string, alert?: { body?: unknown }): AlertFields {
  const body = isRecord(alert?.body) ? alert.body : undefined;
  if (!body) return { title };
  const cef = isRecord(body.cef_details) ? body.cef_details : undefined;
  const details = body.details ?? cef?.details;
  return { title, body, customDetails: typeof details === 'string' ? parseMaybeJson(details) : details };
}

function parseMaybeJson(text: string): unknown {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return text;
  try { return JSON.parse(t) as unknown; } catch { return text; }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
