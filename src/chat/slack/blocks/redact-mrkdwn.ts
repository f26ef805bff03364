import { redact } from '../../../util/redact.js';

/** `redact` for mrkdwn that is already escaped: the `<redacted>` marker is escaped too, or Slack would read it as a link. */
export function redactMrkdwn(text: string): string {
  return redact(text).replaceAll('<redacted>', '&lt;redacted&gt;');
}
