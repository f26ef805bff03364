import type { Config } from '../../config/config-schema.js';
import { checkTargetConfig } from '../../targets/check-target-config.js';
import { formatTarget } from '../../targets/format-target.js';
import { parseTarget } from '../../targets/parse-target.js';
import type { AlertFields } from './alert-fields.js';
import { applyRule } from './apply-rule.js';
import { builtinExtractors } from './extractors/index.js';
import type { PagerDutyRule } from './pagerduty-config-schema.js';

export type ExtractResult =
  | { found: true; target: string; via: string }
  | { found: false; tried: string[] };

export interface ExtractOptions {
  rules: readonly PagerDutyRule[];
  builtins: boolean;
  /** Only rules over the title (before the alert body has been fetched). */
  titleOnly?: boolean;
}

/**
 * The first candidate that is a valid, allowed target: the rules in order, then (unless turned off) the
 * built-in extractors. Each candidate goes through parseTarget and checkTargetConfig; one that fails is
 * noted in `tried` (shown in the "no target found" message) and the next is tried. Returns the
 * canonical target string (formatTarget), which is what incidents are keyed and folded by.
 */
export function extractTarget(fields: AlertFields, config: Config, options: ExtractOptions): ExtractResult {
  const tried: string[] = [];
  const accept = (candidate: string, via: string): ExtractResult | undefined => {
    try {
      const target = parseTarget(candidate, { kubeContexts: config.kubernetes.contexts });
      checkTargetConfig(target, config);
      return { found: true, target: formatTarget(target), via };
    } catch (err) {
      tried.push(`${via}: ${err instanceof Error ? err.message.replace(/; expected one of: .*$/, '') : String(err)}`);
      return undefined;
    }
  };
  for (const [i, rule] of options.rules.entries()) {
    if (options.titleOnly && rule.field !== 'title') continue;
    const out = applyRule(rule, fields);
    if (out === undefined) continue;
    if (typeof out !== 'string') { tried.push(`rule ${i + 1}: ${out.error}`); continue; }
    const found = accept(out, `rule ${i + 1} (${rule.field})`);
    if (found) return found;
  }
  if (options.builtins && !options.titleOnly) {
    const ctx = { kubeContexts: config.kubernetes.contexts };
    for (const [name, extract] of Object.entries(builtinExtractors)) {
      const out = extract(fields, ctx);
      if (out === undefined) continue;
      if (typeof out !== 'string') { tried.push(`${name}: ${out.error}`); continue; }
      const found = accept(out, name);
      if (found) return found;
    }
  }
  return { found: false, tried };
}
