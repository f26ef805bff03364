import { randomBytes } from 'node:crypto';

/** Typed builders of the bodies Slack sends, form-encoded as it sends them (interactivity as `payload=`). */

const TEAM = { id: 'T0FAKE', domain: 'fake' };
const APP = 'A0WHY137';
// The deprecated verification token Slack still sends in every body (never used for trust: the signature is).
const VERIFICATION = 'legacyverificationtoken0';
const triggerId = (): string => `${Date.now()}.1234567890.${randomBytes(16).toString('hex')}`;

export interface CommandFields {
  text: string;
  user?: string;
  channel?: string;
  responseUrl?: string;
  triggerId?: string;
}

/** A `/why137 …` slash command. */
export function slashCommand(f: CommandFields): string {
  return new URLSearchParams({
    token: VERIFICATION, team_id: TEAM.id, team_domain: TEAM.domain, channel_id: f.channel ?? 'C0INCIDENT', channel_name: 'incidents',
    user_id: f.user ?? 'U0ONCALL', user_name: 'oncall', command: '/why137', text: f.text, api_app_id: APP, is_enterprise_install: 'false',
    response_url: f.responseUrl ?? 'https://hooks.slack.com/commands/T0FAKE/1/none', trigger_id: f.triggerId ?? triggerId(),
  }).toString();
}

export interface ButtonFields {
  actionId: string;
  value: string;
  user?: string;
  channel?: string;
  messageTs?: string;
  responseUrl?: string;
  triggerId?: string;
}

/** A click on a button in a message (block_actions). */
export function buttonClick(f: ButtonFields): string {
  const channel = f.channel ?? 'C0INCIDENT';
  const ts = f.messageTs ?? '1700000000.000100';
  const payload = {
    type: 'block_actions',
    user: { id: f.user ?? 'U0ONCALL', username: 'someone', name: 'someone', team_id: TEAM.id },
    api_app_id: APP, token: VERIFICATION,
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: f.triggerId ?? triggerId(),
    team: TEAM, enterprise: null, is_enterprise_install: false,
    channel: { id: channel, name: 'incidents' },
    message: { type: 'message', user: 'U0WHY137BOT', ts, text: 'verdict' },
    state: { values: {} },
    response_url: f.responseUrl ?? 'https://hooks.slack.com/actions/T0FAKE/1/none',
    actions: [{ action_id: f.actionId, block_id: 'b1', text: { type: 'plain_text', text: 'Button', emoji: true }, value: f.value, style: 'primary', type: 'button', action_ts: `${Date.now() / 1000}` }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SubmissionFields {
  callbackId: string;
  privateMetadata: string;
  /** state.values: block_id → action_id → value typed. */
  values: Record<string, Record<string, string>>;
  user?: string;
  viewId?: string;
  triggerId?: string;
}

/** The Submit of a modal (view_submission). */
export function viewSubmission(f: SubmissionFields): string {
  const values = Object.fromEntries(Object.entries(f.values).map(([block, inputs]) => [block, Object.fromEntries(Object.entries(inputs).map(([action, value]) => [action, { type: 'plain_text_input', value }]))]));
  const payload = {
    type: 'view_submission',
    team: TEAM, user: { id: f.user ?? 'U0ONCALL', username: 'someone', name: 'someone', team_id: TEAM.id },
    api_app_id: APP, token: VERIFICATION, trigger_id: f.triggerId ?? triggerId(),
    view: {
      id: f.viewId ?? 'V00000001', team_id: TEAM.id, type: 'modal', callback_id: f.callbackId, private_metadata: f.privateMetadata,
      title: { type: 'plain_text', text: 'Apply this fix?' }, blocks: [], state: { values }, hash: '1700000000.abcdef', app_id: APP, bot_id: 'B0WHY137',
      root_view_id: f.viewId ?? 'V00000001', previous_view_id: null, clear_on_close: false, notify_on_close: false, external_id: '',
    },
    response_urls: [], is_enterprise_install: false, enterprise: null,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
