import { parseArgs } from 'node:util';
import type { CliDeps, CliIo } from './run-cli.js';
import { readConfig } from '../config/read-config.js';
import { serveSettings } from '../server/serve-settings.js';
import { createLogger } from '../server/create-logger.js';
import { Why137Error } from '../errors/why137-error.js';

const USAGE_LINE = 'why137 serve [--config F]';

/**
 * `why137 serve`: the Slack bot until SIGTERM or SIGINT (then it stops listening, lets running work
 * finish for a few seconds, and exits 0). Settings come from the environment (SLACK_BOT_TOKEN,
 * SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL, PORT) and the config file; logs are JSON lines
 * on standard output. Bolt and the SDKs are loaded only here.
 */
export async function serve(args: string[], io: CliIo, env: NodeJS.ProcessEnv, deps: CliDeps = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: false, options: { config: { type: 'string' } } });
  } catch (err) {
    throw new Why137Error('why137_usage', `serve: ${(err as Error).message}; expected: ${USAGE_LINE}`);
  }
  const config = readConfig(env, parsed.values.config);
  const settings = serveSettings(config);
  const logger = createLogger(settings.logLevel, io.stdout);
  const { startServer } = await import('../server/start-server.js');
  const server = await startServer({
    config, env, logger,
    ...(deps.sources ? { sources: deps.sources } : {}),
    ...(deps.builtinRunbooksDir ? { builtinRunbooksDir: deps.builtinRunbooksDir } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'shutting down');
  await server.close();
  return 0;
}
