import type { KnownBlock } from '@slack/types';

const ELLIPSIS = '…';
const FENCE = '```';

/**
 * Block Kit's limits (https://docs.slack.dev/reference/block-kit) and the helpers every renderer goes
 * through: text over a limit is cut visibly with "…" (and an open code fence closed), never sent to
 * fail with `invalid_blocks`. Lengths are UTF-16 units, which is never fewer than Slack's characters.
 */
export const slackLimits = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  /** A section's or context element's text, and a message's fallback `text` as we use it. */
  text: 3000,
  /** Each of a section's `fields`, and at most 10 of them. */
  fieldText: 2000,
  fieldsPerSection: 10,
  /** A header block's plain_text. */
  header: 150,
  buttonLabel: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsElements: 25,
  contextElements: 10,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  inputValue: 3000,
  privateMetadata: 3000,

  /** Cuts `text` to `max` units, ending in "…"; closes a ``` block the cut left open. */
  truncate(text: string, max: number): string {
    if (text.length <= max) return text;
    let cut = max - ELLIPSIS.length;
    const openFence = (s: string): boolean => (s.split(FENCE).length - 1) % 2 === 1;
    let head = safeSlice(text, cut);
    if (openFence(head)) {
      cut -= FENCE.length + 1;
      head = safeSlice(text, cut);
      if (openFence(head)) return `${head}${ELLIPSIS}\n${FENCE}`;
    }
    return `${head}${ELLIPSIS}`;
  },

  /**
   * A message's blocks within every limit: each block's texts, fields, buttons and elements clamped,
   * and at most `max` blocks, the last saying how many were left out (and where to look).
   */
  fitBlocks(blocks: KnownBlock[], max = 50, elsewhere = 'see the thread'): KnownBlock[] {
    const clamped = blocks.map(clampBlock);
    if (clamped.length <= max) return clamped;
    const kept = clamped.slice(0, max - 1);
    const left = clamped.length - kept.length;
    kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${ELLIPSIS} ${left} more block${left === 1 ? '' : 's'} left out (Slack shows ${max} per message); ${elsewhere}.` }] });
    return kept;
  },

  /** Splits long mrkdwn into pieces of at most `max` units, at line breaks where it can, keeping ``` blocks balanced. */
  split(text: string, max = 3000): string[] {
    const pieces: string[] = [];
    let rest = text;
    while (rest.length > max) {
      const room = max - (FENCE.length + 1) * 2;
      let at = rest.lastIndexOf('\n', room);
      if (at < room / 2) at = room;
      let piece = safeSlice(rest, at);
      rest = rest.slice(piece.length).replace(/^\n/, '');
      // A fence open at the cut is closed here and reopened in the next piece.
      if ((piece.split(FENCE).length - 1) % 2 === 1) { piece = `${piece}\n${FENCE}`; rest = `${FENCE}\n${rest}`; }
      pieces.push(piece);
    }
    if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
    return pieces;
  },
} as const;

function safeSlice(text: string, end: number): string {
  const n = Math.max(0, end);
  const code = text.charCodeAt(n - 1);
  // Never leave half a surrogate pair (an emoji cut in two shows as a replacement character).
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string };

function clampText<T extends TextObject | undefined>(t: T, max: number): T {
  if (t === undefined || t.text.length <= max) return t;
  return { ...t, text: slackLimits.truncate(t.text, max) };
}

function clampElement<E>(e: E): E {
  const el = e as unknown as { type: string; text?: TextObject; value?: string; action_id?: string };
  if (el.type !== 'button') return e;
  return {
    ...el,
    text: clampText(el.text, slackLimits.buttonLabel),
    ...(el.value !== undefined ? { value: slackLimits.truncate(el.value, slackLimits.buttonValue) } : {}),
    ...(el.action_id !== undefined ? { action_id: el.action_id.slice(0, slackLimits.actionId) } : {}),
  } as unknown as E;
}

function clampBlock(block: KnownBlock): KnownBlock {
  switch (block.type) {
    case 'header':
      return { ...block, text: clampText(block.text, slackLimits.header) };
    case 'section': {
      const fields = block.fields?.slice(0, slackLimits.fieldsPerSection).map((f) => clampText(f, slackLimits.fieldText));
      return {
        ...block,
        ...(block.text !== undefined ? { text: clampText(block.text, slackLimits.text) } : {}),
        ...(fields !== undefined ? { fields } : {}),
        ...(block.accessory !== undefined ? { accessory: clampElement(block.accessory) } : {}),
      };
    }
    case 'context':
      return { ...block, elements: block.elements.slice(0, slackLimits.contextElements).map((e) => ('text' in e ? clampText(e, slackLimits.text) : e)) };
    case 'actions':
      return { ...block, elements: block.elements.slice(0, slackLimits.actionsElements).map(clampElement) };
    case 'input':
      return { ...block, label: clampText(block.label, slackLimits.inputLabel) };
    default:
      return block;
  }
}
