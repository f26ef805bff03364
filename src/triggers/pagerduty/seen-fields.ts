import { redact } from '../../util/redact.js';
import type { AlertFields } from './alert-fields.js';

// Enough to see what the alert carried, short enough for one Slack message.
const MAX_FIELDS = 24;
const MAX_VALUE = 60;
const SECRET_NAME = /pass|secret|token|credential|private|api_?key|access_?key|auth|cookie|session/i;

/**
 * The fields an alert carried, as `name: short value` for the "no target found" message: the title,
 * then custom_details two levels deep (lists as their length). Values are cut short and redacted, and
 * a field whose name looks secret shows no value at all.
 */
export function seenFields(fields: AlertFields): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [{ name: 'title', value: short(fields.title) }];
  const walk = (name: string, v: unknown, depth: number): void => {
    if (out.length >= MAX_FIELDS) return;
    const key = name.split('.').at(-1) ?? name;
    if (SECRET_NAME.test(key)) { out.push({ name, value: '<redacted>' }); return; }
    if (Array.isArray(v)) { out.push({ name, value: `[${v.length} item${v.length === 1 ? '' : 's'}]` }); return; }
    if (typeof v === 'object' && v !== null) {
      if (depth >= 2) { out.push({ name, value: '{…}' }); return; }
      for (const [k, inner] of Object.entries(v)) walk(`${name}.${k}`, inner, depth + 1);
      return;
    }
    out.push({ name, value: short(String(v)) });
  };
  if (fields.customDetails !== undefined) walk('custom_details', fields.customDetails, 0);
  else out.push({ name: 'alert body', value: fields.body === undefined ? 'not fetched' : 'no custom_details' });
  return out;
}

function short(v: string): string {
  // Redacted whole, then cut: a secret cut in half would no longer look like one.
  const one = redact(v.replace(/\s+/g, ' ').trim());
  return one.length > MAX_VALUE ? `${one.slice(0, MAX_VALUE - 1)}…` : one;
}
