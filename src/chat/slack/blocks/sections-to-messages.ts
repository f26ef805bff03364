import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from './slack-message.js';
import { slackLimits } from './limits.js';

// Room under the 50-block limit for the title line.
const BLOCKS_PER_MESSAGE = slackLimits.blocksPerMessage - 5;

/**
 * Long mrkdwn as as many thread messages as it takes: each paragraph split into sections of at most
 * 3,000 characters, at most 45 sections a message, the title repeated with "(2/3)". Nothing is dropped.
 */
export function sectionsToMessages(title: string, paragraphs: string[], extra: KnownBlock[] = []): SlackMessage[] {
  const sections: KnownBlock[] = paragraphs.flatMap((p) => slackLimits.split(p, slackLimits.text))
    .filter((t) => t.trim() !== '')
    .map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  const pages: KnownBlock[][] = [];
  for (let i = 0; i < sections.length; i += BLOCKS_PER_MESSAGE) pages.push(sections.slice(i, i + BLOCKS_PER_MESSAGE));
  // The extra blocks (buttons) go on the last page, or on a page of their own when they would not fit.
  const last = pages[pages.length - 1];
  if (!last || (extra.length > 0 && last.length + 1 + extra.length > slackLimits.blocksPerMessage)) pages.push([]);
  return pages.map((page, i) => {
    const heading = pages.length > 1 ? `${title} (${i + 1}/${pages.length})` : title;
    const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: slackLimits.truncate(`*${heading}*`, slackLimits.text) } }, ...page];
    if (i === pages.length - 1) blocks.push(...extra);
    return { text: slackLimits.truncate(heading, slackLimits.text), blocks: slackLimits.fitBlocks(blocks) };
  });
}
