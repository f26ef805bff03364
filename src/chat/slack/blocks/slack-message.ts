import type { KnownBlock } from '@slack/types';

/** A message as posted: Block Kit blocks and the plain `text` notifications and screen readers use. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}
