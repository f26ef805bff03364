import type { KnownBlock } from '@slack/types';
import type { IncidentRecord } from '../../store/store.js';
import type { Target } from '../../targets/target.js';
import type { PagerDutyIncidentRef } from './pagerduty-incident-ref.js';

export interface PagerDutyDiagnosisRequest {
  /** The why137 incident, already in the store (trigger pagerduty, status running, channel, externalId). */
  incidentId: string;
  target: Target;
  channel: string;
  pagerduty: PagerDutyIncidentRef;
}

export interface PagerDutyDiagnosisResult {
  /** chat.getPermalink of the thread's first message. */
  permalink?: string;
  /** The verdict in one line, for the PagerDuty note; undefined when there is none. */
  summary?: string;
}

/**
 * What the PagerDuty trigger needs from Slack. `diagnose` is the /why137 thread flow (the same progress
 * updates, verdict and buttons) run for an incident that is already in the store; the other two are
 * plain messages.
 */
export interface PagerDutySlack {
  diagnose(req: PagerDutyDiagnosisRequest): Promise<PagerDutyDiagnosisResult>;
  /** Shows how many more triggers were folded into the incident's thread (posts once, then edits that reply). */
  showFolded(incident: IncidentRecord): Promise<void>;
  post(channel: string, message: { text: string; blocks: KnownBlock[] }): Promise<void>;
}
