import type { Config } from '../config/config-schema.js';
import { Why137Error } from '../errors/why137-error.js';

/** What `why137 serve` needs from the environment, checked. */
export interface ServeSettings {
  botToken: string;
  signingSecret: string;
  /** Set: Socket Mode (no public URL). Unset: HTTP on `port`. */
  appToken?: string;
  /** Web API base URL, ending in `/` (SLACK_API_URL; Slack's own when unset). */
  apiUrl?: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const DEFAULT_PORT = 3000;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
// Slack signing secrets are 32 hex characters (Basic Information → App Credentials → Signing Secret).
const SIGNING_SECRET = /^[0-9a-f]{32}$/i;
const APP_SETTINGS = 'in your Slack app settings (https://api.slack.com/apps → your app)';

/**
 * Checks the serve settings readConfig copied from the environment. Each problem is one line saying
 * where the right value is found; nothing is echoed back but a token's first characters.
 */
export function serveSettings(config: Config): ServeSettings {
  const env = config.serve ?? {};
  const fail = (message: string): never => { throw new Why137Error('why137_config_invalid', message); };
  const prefix = (v: string): string => JSON.stringify(`${v.slice(0, 5)}…`);

  const botToken = env.botToken?.trim();
  if (!botToken) fail(`SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions ${APP_SETTINGS}`);
  if (!botToken!.startsWith('xoxb-')) {
    fail(`SLACK_BOT_TOKEN starts with ${prefix(botToken!)}, not xoxb-: use the Bot User OAuth Token from OAuth & Permissions ${APP_SETTINGS} (not a user xoxp- or app-level xapp- token)`);
  }
  const signingSecret = env.signingSecret?.trim();
  if (!signingSecret) fail(`SLACK_SIGNING_SECRET is missing: copy it from Basic Information → App Credentials ${APP_SETTINGS}`);
  if (!SIGNING_SECRET.test(signingSecret!)) {
    fail(`SLACK_SIGNING_SECRET is not 32 hex characters: copy the Signing Secret (not the Client Secret or a token) from Basic Information → App Credentials ${APP_SETTINGS}`);
  }
  const appToken = env.appToken?.trim() || undefined;
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    fail(`SLACK_APP_TOKEN starts with ${prefix(appToken)}, not xapp-: generate an app-level token with the connections:write scope under Basic Information → App-Level Tokens ${APP_SETTINGS}, or unset SLACK_APP_TOKEN to receive requests over HTTP on PORT`);
  }
  let apiUrl: string | undefined;
  if (env.apiUrl?.trim()) {
    let url: URL | undefined;
    try { url = new URL(env.apiUrl.trim()); } catch { /* reported below */ }
    if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password) {
      fail(`SLACK_API_URL=${JSON.stringify(env.apiUrl.slice(0, 80))} is not an http(s) URL without credentials: expected the Web API base such as https://slack.com/api/, or unset it to use Slack's`);
    }
    apiUrl = url!.href.endsWith('/') ? url!.href : `${url!.href}/`;
  }
  let port = DEFAULT_PORT;
  if (env.port?.trim()) {
    port = Number(env.port.trim());
    if (!/^\d+$/.test(env.port.trim()) || port < 1 || port > 65535) fail(`PORT=${JSON.stringify(env.port.slice(0, 20))} is not a TCP port: expected a number from 1 to 65535 (default ${DEFAULT_PORT})`);
  }
  const level = (env.logLevel?.trim() || 'info').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(level)) fail(`WHY137_LOG_LEVEL=${JSON.stringify(level.slice(0, 20))} is not a log level: expected one of ${LEVELS.join(', ')}`);
  return { botToken: botToken!, signingSecret: signingSecret!, ...(appToken ? { appToken } : {}), ...(apiUrl ? { apiUrl } : {}), port, logLevel: level as ServeSettings['logLevel'] };
}
