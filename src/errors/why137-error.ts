/** Public error codes: a user sees `code` and one line; logs keep `cause`. */
export type ErrorCode =
  | 'why137_artifact_unreadable'
  | 'why137_artifact_empty'
  | 'why137_artifact_binary'
  | 'why137_artifact_malformed'
  | 'why137_artifact_unrecognized'
  | 'why137_artifact_invalid'
  | 'why137_usage'
  | 'why137_config_invalid'
  | 'why137_target_invalid'
  | 'why137_runbook_invalid'
  | 'why137_source_timeout'
  | 'why137_source_unavailable'
  /** A value typed for an edit (approval modal) is not a valid size for that platform. */
  | 'why137_invalid_value'
  /** An applied edit cannot be undone in place (Docker cannot remove a memory limit from a container). */
  | 'why137_rollback_unsupported'
  /** A Slack Web API call failed after its retries (the log keeps Slack's error and the method). */
  | 'why137_slack_failed'
  /** The person who clicked is not an approver for the target (or is the requester under the two-person rule). */
  | 'why137_approval_refused'
  /** The proposal is gone, expired, or already taken (executing, executed, rolled back). */
  | 'why137_proposal_closed'
  /** The target changed since the proposal was made: the change would be applied to something not diagnosed. */
  | 'why137_target_changed'
  /** A PagerDuty webhook without a valid X-PagerDuty-Signature: answered 401, audited as reject_webhook. */
  | 'why137_webhook_rejected'
  /** A PagerDuty REST API call failed after its retries (the log keeps the status and PagerDuty's message). */
  | 'why137_pagerduty_failed'
  | 'why137_internal';

/** The one error class users meet: a stable code and a single line that names the input and what was expected. */
export class Why137Error extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.code = code;
    this.name = 'Why137Error';
  }
}
