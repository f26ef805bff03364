import type { AlertFields } from './alert-fields.js';
import type { PagerDutyRule } from './pagerduty-config-schema.js';
import { readFieldPath } from './read-field-path.js';

// Rules run over text from the alert: cap what one regular expression sees.
const MAX_FIELD_CHARS = 64 * 1024;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
// A capture never adds a path segment (`{namespace}` holding `prod/shop` would turn namespace/pod into
// context/namespace/pod), except a group named `arn` or `…Arn`, whose ARN has slashes of its own.
const MAY_HOLD_SLASH = /arn$/i;

/**
 * One configured rule: the target template filled from the pattern's named groups, `{ error }` when the
 * pattern matched but a capture cannot go into a target, or undefined when the field is absent or no match.
 */
export function applyRule(rule: PagerDutyRule, fields: AlertFields): string | { error: string } | undefined {
  const value = readFieldPath(fields, rule.field);
  if (value === undefined) return undefined;
  const m = new RegExp(rule.pattern).exec(value.slice(0, MAX_FIELD_CHARS));
  if (!m) return undefined;
  const groups = m.groups ?? {};
  let problem: string | undefined;
  const target = rule.target.replace(PLACEHOLDER, (_all, name: string) => {
    const v = groups[name];
    if (v === undefined || v === '') problem ??= `group ${name} captured nothing`;
    else if (/\s/.test(v)) problem ??= `group ${name} captured whitespace`;
    else if (v.includes('/') && !MAY_HOLD_SLASH.test(name)) problem ??= `group ${name} captured a "/" (only a group named arn or …Arn may)`;
    return v ?? '';
  });
  return problem ? { error: `rule on ${rule.field}: ${problem}` } : target;
}
