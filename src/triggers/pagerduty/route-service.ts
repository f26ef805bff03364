import type { PagerDutyConfig, PagerDutyRule } from './pagerduty-config-schema.js';

/** Where an incident's diagnosis goes, and how its target is read. */
export interface ServiceRoute {
  channel: string;
  /** The service's rules, then the global `pagerduty.rules`. */
  rules: PagerDutyRule[];
  builtins: boolean;
  /** Whether the service is listed (false: the fallback channel took it). */
  mapped: boolean;
}

/**
 * The `pagerduty.services` entry for the incident's service (by id; an entry with only a name matches
 * the service's name), else the fallback channel with the global rules, else undefined (not ours).
 */
export function routeService(pd: PagerDutyConfig, service: { id?: string; summary?: string } | null | undefined): ServiceRoute | undefined {
  const entry = pd.services.find((s) => (s.id !== undefined ? s.id === service?.id : s.name === service?.summary));
  if (entry) return { channel: entry.channel, rules: [...entry.rules, ...pd.rules], builtins: entry.builtins, mapped: true };
  if (pd.fallbackChannel) return { channel: pd.fallbackChannel, rules: [...pd.rules], builtins: true, mapped: false };
  return undefined;
}
