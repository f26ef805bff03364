import type { SlackDeps } from '../../chat/slack/slack-deps.js';
import { createPagerDutyTrigger, type PagerDutyTrigger, type PagerDutyTriggerOptions } from './pagerduty-trigger.js';
import { runPagerDutyDiagnosis } from './run-pagerduty-diagnosis.js';
import { createSlackPagerDutySurface } from './slack-pagerduty-surface.js';

/**
 * The PagerDuty trigger wired to the bot's Slack side (what `why137 serve` calls once its SlackDeps
 * exist): the thread flow is runPagerDutyDiagnosis over the same deps as /why137, so the buttons it
 * posts are served by the same handlers. Undefined when PagerDuty is not set up.
 */
export function pagerdutyForSlack(deps: SlackDeps, options: Partial<Pick<PagerDutyTriggerOptions, 'backoff' | 'pollMs' | 'foldDelayMs' | 'fetch'>> = {}): PagerDutyTrigger | undefined {
  return createPagerDutyTrigger({
    config: deps.config, store: deps.store, log: deps.logger.child({ component: 'pagerduty' }), now: () => deps.now(),
    slack: createSlackPagerDutySurface(deps.web, (req) => runPagerDutyDiagnosis(deps, req)),
    ...options,
  });
}
