/** Escapes text for Slack mrkdwn (&, <, >), so a pod name or a log line cannot turn into a mention or a link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
