import type { KnownBlock } from '@slack/types';
import type { SlackDeps } from './slack-deps.js';

export interface Audience {
  channel: string;
  user: string;
  /** The request's response_url: reaches the user even where the bot is not a member. */
  responseUrl?: string;
}

/**
 * An ephemeral answer only `user` sees: chat.postEphemeral, else the request's response_url (a channel
 * the bot was not invited to). Never throws: the log keeps what failed.
 */
export async function tellUser(deps: Pick<SlackDeps, 'web' | 'logger'>, to: Audience, text: string, blocks?: KnownBlock[]): Promise<void> {
  try {
    await deps.web.chat.postEphemeral({ channel: to.channel, user: to.user, text, ...(blocks ? { blocks } : {}) });
    return;
  } catch (err) {
    if (!to.responseUrl) { deps.logger.warn({ err, channel: to.channel }, 'ephemeral answer not delivered'); return; }
    deps.logger.info({ err, channel: to.channel }, 'chat.postEphemeral failed; answering through response_url');
  }
  try {
    const res = await fetch(to.responseUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text, ...(blocks ? { blocks } : {}) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) deps.logger.warn({ status: res.status, channel: to.channel }, 'response_url answer refused');
  } catch (err) {
    deps.logger.warn({ err, channel: to.channel }, 'ephemeral answer not delivered');
  }
}
