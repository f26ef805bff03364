import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';

const TO_PINO: Record<LogLevel, string> = { [LogLevel.DEBUG]: 'debug', [LogLevel.INFO]: 'info', [LogLevel.WARN]: 'warn', [LogLevel.ERROR]: 'error' };

/** Bolt's and the WebClient's logger interface over pino, so their warnings (un-acked events, retries, 429 waits) land in the same redacted log. */
export function boltLogger(logger: Logger, component: string): SlackLogger {
  const child = logger.child({ component });
  let name = component;
  const text = (msg: unknown[]): string => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => child.debug({ from: name }, text(msg)),
    info: (...msg) => child.info({ from: name }, text(msg)),
    warn: (...msg) => child.warn({ from: name }, text(msg)),
    error: (...msg) => child.error({ from: name }, text(msg)),
    // The level is pino's (WHY137_LOG_LEVEL); Bolt asking for another one does not change it.
    setLevel: () => undefined,
    getLevel: () => (Object.entries(TO_PINO).find(([, v]) => v === child.level)?.[0] as LogLevel | undefined) ?? LogLevel.INFO,
    setName: (n: string) => { name = n; },
  };
}
