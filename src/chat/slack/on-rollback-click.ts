import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';
import { rollbackExecuted } from './rollback-executed.js';

/** The Roll back button (value = proposal id): ack, then roll back detached. */
export function onRollbackClick(deps: SlackDeps) {
  return async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const to = { channel: body.channel?.id ?? '', user: body.user.id, responseUrl: body.response_url };
    deps.tasks.run('rollback', () => rollbackExecuted(deps, action.value ?? '', to));
  };
}
