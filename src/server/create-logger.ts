import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { redact } from '../util/redact.js';

// Fields that carry secrets in Slack payloads, request headers, our own settings (Slack's and PagerDuty's)
// and environments (a whole `env` object is censored: its values are secrets as often as not).
const SECRET_PATHS = [
  'token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken', 'signingSecret', '*.signingSecret',
  'signing_secret', '*.signing_secret', 'apiToken', '*.apiToken', 'webhookSecrets', '*.webhookSecrets',
  'secret', '*.secret', 'password', '*.password', 'env', '*.env', 'Env', '*.Env',
  'headers.authorization', '*.headers.authorization', 'headers.cookie', '*.headers.cookie',
  'headers["x-slack-signature"]', '*.headers["x-slack-signature"]', 'headers["x-pagerduty-signature"]', '*.headers["x-pagerduty-signature"]',
];

/**
 * The server's pino logger (JSON lines on stdout, or `destination` in tests). Known secret fields are
 * censored, and every message string and error message goes through `redact`, so a Slack token or a
 * `PASSWORD=` in a source's error never reaches the log.
 */
export function createLogger(level: LevelWithSilent = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { name: 'why137' },
    redact: { paths: SECRET_PATHS, censor: '<redacted>' },
    serializers: {
      err: (err: unknown) => {
        const e = pino.stdSerializers.err(err as Error);
        return { ...e, message: redact(e.message ?? ''), stack: e.stack ? redact(e.stack) : undefined };
      },
    },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redact(a) : a)));
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
