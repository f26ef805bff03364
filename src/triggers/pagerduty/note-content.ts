import type { IncidentRecord } from '../../store/store.js';

// PagerDuty keeps notes up to 25,000 characters; a note is read on a phone.
const MAX_NOTE = 1000;

/** The note on the PagerDuty incident: the verdict in one line (or why there is none), and the Slack thread. */
export function noteContent(incident: IncidentRecord, result: { summary?: string; permalink?: string; failure?: string }): string {
  const summary = result.summary ?? incident.verdict?.summary;
  const cause = incident.verdict?.cause;
  const head = result.failure !== undefined
    ? `why137 could not diagnose ${incident.target}: ${result.failure}`
    : summary !== undefined
      ? `why137 diagnosed ${incident.target}${cause ? ` (${cause})` : ''}: ${summary}`
      : `why137 diagnosed ${incident.target}: no verdict (see the thread)`;
  const lines = [head.replace(/\s+/g, ' ').slice(0, MAX_NOTE - 200)];
  if (result.permalink) lines.push(`Slack thread: ${result.permalink}`);
  if (incident.triggerCount > 1) lines.push(`${incident.triggerCount - 1} more trigger${incident.triggerCount === 2 ? '' : 's'} for this target were folded into the thread.`);
  return lines.join('\n');
}
