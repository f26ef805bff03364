import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';

/**
 * Global middleware: a request Slack sends again (x-slack-retry-num) carries the same body, so the
 * body's hash, recorded in the store, identifies work already taken, across restarts too. A
 * redelivery of work already taken is acked and ignored. (Execution has its own gate; this also keeps a retried
 * /why137 from posting a second diagnosis.)
 */
export function dedupeRetries(deps: Pick<SlackDeps, 'store' | 'logger'>): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, context, next } = args;
    const key = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const b = body as { type?: string; user?: { id?: string }; user_id?: string; command?: string };
    const record = (): boolean => {
      try {
        // Only the kind and the user: slash command bodies carry a (legacy) verification token.
        return deps.store.recordEvent('slack', key, { type: b.type ?? b.command ?? 'unknown', user: b.user?.id ?? b.user_id, retry: context.retryNum ?? 0 });
      } catch (err) {
        deps.logger.warn({ err }, 'could not record the request; handling it anyway');
        return true;
      }
    };
    // NOTE: Slack redelivers only after the first delivery went unanswered for 3 s (or failed), so a
    // first delivery is recorded just after its ack (a store write fsyncs: acks under load come first),
    // and only a redelivery waits for the store before it is acked.
    const retry = (context.retryNum ?? 0) > 0;
    if (!retry) setImmediate(record);
    if (retry && !record()) {
      deps.logger.info({ retry: context.retryNum, reason: context.retryReason, type: b.type ?? b.command }, 'repeat of a request already taken: acked and ignored');
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await next();
  };
}
