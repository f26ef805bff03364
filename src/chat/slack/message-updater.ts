import type { SlackMessage } from './blocks/slack-message.js';
import type { SlackDeps } from './slack-deps.js';

export interface MessageUpdater {
  /** The message's next content; sent at once, or as soon as the update in flight returns (only the newest waits). */
  set(message: SlackMessage): void;
  /** Waits until the newest content was sent; false if that last chat.update failed (after the client's retries). */
  flush(): Promise<boolean>;
}

/**
 * Updates one message in place with chat.update, one call at a time and in order: progress from steps
 * that finish together folds into one update, and an old state never lands after a newer one. A 429
 * is waited out by the WebClient (Retry-After) before the next update goes.
 */
export function createMessageUpdater(deps: Pick<SlackDeps, 'web' | 'logger'>, channel: string, ts: string): MessageUpdater {
  let pending: SlackMessage | undefined;
  let inFlight: Promise<void> | undefined;
  let lastOk = true;

  const pump = async (): Promise<void> => {
    while (pending) {
      const m = pending;
      pending = undefined;
      try {
        await deps.web.chat.update({ channel, ts, text: m.text, blocks: m.blocks });
        lastOk = true;
      } catch (err) {
        lastOk = false;
        deps.logger.warn({ err, channel, ts }, 'chat.update failed');
      }
    }
    inFlight = undefined;
  };

  return {
    set(message) {
      pending = message;
      inFlight ??= pump();
    },
    async flush() {
      while (inFlight) await inFlight;
      return lastOk;
    },
  };
}
