import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';
import { actionIds } from './action-ids.js';
import { dedupeRetries } from './dedupe-retries.js';
import { onWhy137Command } from './on-why137-command.js';
import { onApproveClick } from './on-approve-click.js';
import { onConfirmSubmit } from './on-confirm-submit.js';
import { onRollbackClick } from './on-rollback-click.js';
import { onRediagnoseClick } from './on-rediagnose-click.js';

const prefixed = (id: string): RegExp => new RegExp(`^${id}(?::|$)`);

/** Every Slack listener of the bot, on a Bolt app: the command, the three buttons, the confirmation modal and the two lifecycle events. */
export function registerSlackHandlers(app: App, deps: SlackDeps): void {
  app.use(dedupeRetries(deps));
  app.command('/why137', onWhy137Command(deps));
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: prefixed(actionIds.approve) }, onApproveClick(deps));
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: prefixed(actionIds.rollback) }, onRollbackClick(deps));
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: prefixed(actionIds.rediagnose) }, onRediagnoseClick(deps));
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: actionIds.confirmView }, onConfirmSubmit(deps));
  // The manifest subscribes to these two (no scopes needed): an operator should hear the bot lost its access.
  app.event('app_uninstalled', async () => { deps.logger.error('why137 was uninstalled from the workspace: /why137 no longer reaches it'); });
  app.event('tokens_revoked', async () => { deps.logger.error('the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN'); });
  app.error(async (err) => { deps.logger.error({ err }, 'unhandled error in a Slack listener'); });
}
