import type { WebClient } from '@slack/web-api';
import type { PagerDutySlack } from './pagerduty-slack.js';

/**
 * PagerDutySlack over the Web API: `diagnose` is the thread flow (runPagerDutyDiagnosis bound to the
 * bot's SlackDeps); a fold is one reply in the incident's thread, posted on the first fold and edited
 * with the count after that; "no target found" is a plain message.
 */
export function createSlackPagerDutySurface(web: Pick<WebClient, 'chat'>, diagnose: PagerDutySlack['diagnose']): PagerDutySlack {
  // The fold reply of each incident; after a restart the next fold posts a new one.
  const replies = new Map<string, string>();
  return {
    diagnose,
    async showFolded(incident) {
      const more = incident.triggerCount - 1;
      if (more < 1 || !incident.channel || !incident.threadTs) return;
      const text = `:repeat: PagerDuty triggered for \`${incident.target}\` ${more} more time${more === 1 ? '' : 's'}: folded into this thread, no new diagnosis.`;
      const ts = replies.get(incident.id);
      if (ts !== undefined) {
        await web.chat.update({ channel: incident.channel, ts, text });
        return;
      }
      const posted = await web.chat.postMessage({ channel: incident.channel, thread_ts: incident.threadTs, text });
      if (posted.ts) replies.set(incident.id, posted.ts);
    },
    async post(channel, message) {
      await web.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
    },
  };
}
