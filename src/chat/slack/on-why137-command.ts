import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';
import { usageMessage } from './blocks/usage-message.js';
import { diagnoseFor } from './diagnose-for.js';
import type { Audience } from './tell-user.js';

/**
 * `/why137 <target>`: ack first, always (usage goes in the ack itself, as it needs no work), then the
 * diagnosis runs detached. A target that does not parse or is not allowed gets one ephemeral line.
 */
export function onWhy137Command(deps: SlackDeps) {
  return async ({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const text = command.text.trim();
    if (text === '' || /^(help|-h|--help|\?)$/i.test(text)) {
      await ack({ response_type: 'ephemeral', ...usageMessage() });
      return;
    }
    await ack();
    const to: Audience = { channel: command.channel_id, user: command.user_id, responseUrl: command.response_url };
    deps.tasks.run('diagnose', () => diagnoseFor(deps, text, to));
  };
}
