import { readConfig } from '../../../src/config/read-config.js';
import { serveSettings } from '../../../src/server/serve-settings.js';
import { Why137Error } from '../../../src/errors/why137-error.js';

const SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
const BOT = 'xoxb-123-456-abcdefabcdefabcdef';
const settings = (env: Record<string, string>) => serveSettings(readConfig({ WHY137_CONFIG: '', ...env }));
function failure(env: Record<string, string>): string {
  try { settings(env); } catch (e) { if (e instanceof Why137Error && e.code === 'why137_config_invalid') return e.message; throw e; }
  throw new Error('expected why137_config_invalid');
}

describe('serve settings from the environment (via readConfig)', () => {
  test('HTTP mode by default on 3000; Socket Mode when SLACK_APP_TOKEN is set; SLACK_API_URL gets its trailing slash', () => {
    expect(settings({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET })).toEqual({ botToken: BOT, signingSecret: SECRET, port: 3000, logLevel: 'info' });
    expect(settings({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: 'xapp-1-A1-2-abc', PORT: '8080', SLACK_API_URL: 'http://127.0.0.1:9/api', WHY137_LOG_LEVEL: 'debug' }))
      .toEqual({ botToken: BOT, signingSecret: SECRET, appToken: 'xapp-1-A1-2-abc', port: 8080, apiUrl: 'http://127.0.0.1:9/api/', logLevel: 'debug' });
  });

  test.each([
    [{ SLACK_SIGNING_SECRET: SECRET }, /^SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token \(xoxb-…\) from OAuth & Permissions in your Slack app settings/],
    [{ SLACK_BOT_TOKEN: 'xoxp-123-user', SLACK_SIGNING_SECRET: SECRET }, /^SLACK_BOT_TOKEN starts with "xoxp-…", not xoxb-: use the Bot User OAuth Token/],
    [{ SLACK_BOT_TOKEN: BOT }, /^SLACK_SIGNING_SECRET is missing: copy it from Basic Information → App Credentials in your Slack app settings/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: BOT }, /^SLACK_SIGNING_SECRET is not 32 hex characters: copy the Signing Secret \(not the Client Secret or a token\) from Basic Information → App Credentials/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: BOT }, /^SLACK_APP_TOKEN starts with "xoxb-…", not xapp-: generate an app-level token with the connections:write scope under Basic Information → App-Level Tokens/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, PORT: 'http' }, /^PORT="http" is not a TCP port: expected a number from 1 to 65535 \(default 3000\)$/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'ftp://x' }, /^SLACK_API_URL="ftp:\/\/x" is not an http\(s\) URL without credentials/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, WHY137_LOG_LEVEL: 'loud' }, /^WHY137_LOG_LEVEL="loud" is not a log level/],
  ])('one line saying where the right value is: %j', (env, expected) => {
    const message = failure(env as Record<string, string>);
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
    // A token is never echoed beyond its first five characters.
    expect(message).not.toContain('abcdefabcdef');
  });

  test('the tokens are kept out of the config when it is printed or serialised', () => {
    const config = readConfig({ WHY137_CONFIG: '', SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET });
    expect(config.serve?.botToken).toBe(BOT);
    expect(JSON.stringify(config)).not.toContain(BOT);
    expect(Object.keys(config)).not.toContain('serve');
  });
});
