import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';
import { diagnoseFor } from './diagnose-for.js';
import { tellUser } from './tell-user.js';

/** Diagnose again (value = incident id): the incident's stored target, diagnosed afresh for whoever clicked. */
export function onRediagnoseClick(deps: SlackDeps) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const incident = deps.store.getIncident(action.value ?? '');
    const to = { channel: body.channel?.id ?? incident?.channel ?? '', user: body.user.id, responseUrl: body.response_url };
    if (!incident) { await tellUser(deps, to, 'That incident is not known here; run /why137 TARGET. (why137_proposal_closed)'); return; }
    deps.tasks.run('diagnose', () => diagnoseFor(deps, incident.target, to));
  };
}
