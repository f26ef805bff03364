// Names that mark a value as secret wherever `NAME=value` or `NAME: value` shows up in text we print.
const SECRET_NAME = /([A-Za-z0-9_.-]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)[A-Za-z0-9_.-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
const SLACK_TOKEN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{10,}/g;
const AWS_KEY = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;

/** Replaces secret-looking values in free text with `<redacted>`, keeping the names. A safety net: parsers keep no env values at all. */
export function redact(text: string): string {
  return text
    .replace(SECRET_NAME, (_m, name: string, sep: string) => `${name}${sep}<redacted>`)
    .replace(BEARER, '$1 <redacted>')
    .replace(SLACK_TOKEN, '<redacted>')
    .replace(AWS_KEY, '<redacted>');
}
