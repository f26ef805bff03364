import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import bolt from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config/config-schema.js';
import type { Clients } from '../clients/clients.js';
import type { SourceRegistry } from '../sources/index.js';
import type { RunRunbookOptions } from '../runbooks/run-runbook.js';
import type { Store } from '../store/store.js';
import { loadRunbooks } from '../runbooks/load-runbooks.js';
import { Why137Error } from '../errors/why137-error.js';
import type { ExecutorRegistry, SlackDeps } from '../chat/slack/slack-deps.js';
import { registerSlackHandlers } from '../chat/slack/register-slack-handlers.js';
import { createGroupMembers } from '../chat/slack/approval/group-members.js';
import { announceExpired } from '../chat/slack/announce-expired.js';
import { reconcileInterrupted } from '../chat/slack/reconcile-interrupted.js';
import { pagerdutyForSlack } from '../triggers/pagerduty/pagerduty-for-slack.js';
import { serveSettings, type ServeSettings } from './serve-settings.js';
import { createLogger } from './create-logger.js';
import { boltLogger } from './bolt-logger.js';
import { createTaskTracker } from './task-tracker.js';
import { createHttpServer } from './create-http-server.js';
import { routes } from './routes.js';
import { createMetrics, type Metrics } from './create-metrics.js';
import { meteredStore } from './metered-store.js';
import { warmUp } from './warm-up.js';

export interface StartServerOptions {
  config: Config;
  /** For the clients (DOCKER_HOST, KUBECONFIG, AWS_*), as `why137 diagnose` gets it. */
  env: NodeJS.ProcessEnv;
  /** Default: openStore(config), closed with the server. A store passed in stays open. */
  store?: Store;
  sources?: SourceRegistry;
  clients?: Clients;
  executors?: ExecutorRegistry;
  builtinRunbooksDir?: string;
  logger?: Logger;
  /** Listen port; default the PORT setting (3000). 0 picks a free one. */
  port?: number;
  host?: string;
  now?: () => Date;
  retry?: RunRunbookOptions['retry'];
  /** How often expired proposals are announced (default one minute). */
  sweepMs?: number;
  /** Web API retry timing (tests shorten it); the count is slack.apiRetries. */
  apiRetryMinMs?: number;
  /** How often auth.test is repeated for /readyz (default one minute). */
  authCheckMs?: number;
}

export interface RunningServer {
  mode: 'http' | 'socket';
  /** The HTTP port (Slack's events in HTTP mode; /healthz and the other routes in both). */
  port: number;
  store: Store;
  web: WebClient;
  metrics: Metrics;
  /** Stops listening, cancels running work (waiting up to `graceMs` for it), closes the store it opened. */
  close(graceMs?: number): Promise<void>;
}

// The Web API answers within seconds; a call hanging longer is retried rather than waited on.
const API_TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 3_000;

/**
 * `why137 serve`: checks the settings, verifies the bot token with auth.test, loads the runbooks and
 * starts the Bolt app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP (`POST /slack/events`).
 * One HTTP listener serves the route registry (/healthz, …) in both modes. Any setting that is missing
 * or wrong stops start-up with one line naming where to find the right value.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const settings: ServeSettings = serveSettings(config);
  const logger = options.logger ?? createLogger(settings.logLevel);
  const now = options.now ?? (() => new Date());

  const web = new bolt.webApi.WebClient(settings.botToken, {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    logger: boltLogger(logger, 'slack-web-api'),
    timeout: API_TIMEOUT_MS,
    // 429s: the client waits Retry-After (pausing its queue) and tries again; each wait is one retry.
    rejectRateLimitedCalls: false,
    retryConfig: { retries: config.slack.apiRetries, factor: 2, minTimeout: options.apiRetryMinMs ?? 1000, maxTimeout: 30_000, randomize: true },
  });
  const auth = await verifyBotToken(web, settings);
  logger.info({ team: auth.team, bot: auth.userId }, 'bot token verified');

  // Runbooks are validated before anything listens: a broken one stops start-up in one line.
  const sources = options.sources ?? (await import('../sources/index.js')).sources;
  const runbooks = loadRunbooks({ sources, userDir: config.runbooks.dir, builtinDir: options.builtinRunbooksDir });
  // Compile the diagnosis path before the first burst of commands meets it (see warm-up.ts).
  await warmUp().catch((err: unknown) => logger.warn({ err }, 'warm-up diagnosis failed; serving anyway'));
  const clients = options.clients ?? (await import('../clients/create-clients.js')).createClients(config, options.env);
  const executors = options.executors ?? (await import('../remediation/execute/index.js')).executors;
  const ownStore = options.store === undefined;
  const metrics = createMetrics();
  // Every audited approval, refusal, execution, rollback and webhook rejection is counted where it is audited.
  const store = meteredStore(options.store ?? (await import('../store/open-store.js')).openStore(config), metrics);

  const shutdown = new AbortController();
  const tasks = createTaskTracker(logger);
  const deps: SlackDeps = {
    web, store, config, clients, sources, runbooks, executors, logger, tasks, now, metrics,
    groupMembers: createGroupMembers(web, now),
    newId: (prefix) => `${prefix}_${randomUUID()}`,
    signal: shutdown.signal,
    ...(options.retry ? { retry: options.retry } : {}),
  };

  const socket = settings.appToken !== undefined;
  const logForBolt = boltLogger(logger, 'bolt');
  const receiver = socket
    ? new bolt.SocketModeReceiver({ appToken: settings.appToken!, logger: logForBolt, installerOptions: { clientOptions: settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {} } })
    : new bolt.HTTPReceiver({ signingSecret: settings.signingSecret, endpoints: '/slack/events', logger: logForBolt, processBeforeResponse: false });
  const app = new bolt.App({
    receiver, token: settings.botToken, botId: auth.botId, botUserId: auth.userId, logger: logForBolt,
    clientOptions: settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}, convoStore: false,
  });
  registerSlackHandlers(app, deps);
  // Before any click can arrive: what a kill mid-apply left executing or rolling back is failed, not stuck.
  await reconcileInterrupted(deps).catch((err: unknown) => logger.error({ err }, 'interrupted proposals not reconciled'));
  // Undefined when PagerDuty is not set up; half a set-up throws with the fix before anything listens.
  let pagerduty: ReturnType<typeof pagerdutyForSlack>;
  try { pagerduty = pagerdutyForSlack(deps); } catch (err) { if (ownStore) store.close(); throw err; }

  // Readiness: auth.test passed above and is repeated (a revoked token turns /readyz 503); the socket's own state in Socket Mode.
  let slackAuthOk = true;
  let socketUp = !socket;
  const authCheck = setInterval(() => {
    web.auth.test().then(() => { slackAuthOk = true; }, (err: unknown) => {
      if (slackAuthOk) logger.warn({ err, code: 'why137_slack_failed' }, 'auth.test failed: /readyz answers 503 until it passes again');
      slackAuthOk = false;
    });
  }, options.authCheckMs ?? 60_000);
  authCheck.unref();
  if (receiver instanceof bolt.SocketModeReceiver) {
    receiver.client.on('connected', () => { socketUp = true; });
    receiver.client.on('disconnected', () => { socketUp = false; });
    receiver.client.on('reconnecting', () => { socketUp = false; });
  }
  const readiness = {
    slack: () => slackAuthOk && socketUp,
    config: () => { try { serveSettings(config); return true; } catch { return false; } },
  };
  const routeDeps = { store, logger, metrics, readiness };
  const server = createHttpServer({
    routes: [...routes.map((r) => r(routeDeps)), ...(pagerduty ? [pagerduty.route] : [])],
    ...(receiver instanceof bolt.HTTPReceiver ? { slack: receiver.requestListener } : {}),
    logger,
  });
  let port: number;
  try {
    port = await listen(server, options.port ?? settings.port, options.host);
    if (receiver instanceof bolt.SocketModeReceiver) {
      try { await receiver.start(); socketUp = true; } catch (err) {
        clearInterval(authCheck);
        server.close();
        throw new Why137Error('why137_config_invalid', `Socket Mode did not connect (${(err as Error).message.split('\n')[0]}): check SLACK_APP_TOKEN (connections:write) and that Socket Mode is on in your Slack app settings`, { cause: err });
      }
    }
  } catch (err) {
    clearInterval(authCheck);
    if (ownStore) store.close();
    throw err;
  }
  logger.info({ mode: socket ? 'socket' : 'http', port, pagerduty: pagerduty !== undefined }, socket ? 'connected in Socket Mode' : `listening on ${port}`);
  pagerduty?.start();

  const sweep = setInterval(() => { void announceExpired(deps).catch((err: unknown) => logger.warn({ err }, 'expiry sweep failed')); }, options.sweepMs ?? 60_000);
  sweep.unref();

  let closed: Promise<void> | undefined;
  return {
    mode: socket ? 'socket' : 'http', port, store, web, metrics,
    close(graceMs = 10_000) {
      closed ??= (async () => {
        clearInterval(sweep);
        clearInterval(authCheck);
        // Requests in flight get a moment to be answered (an ack is instant); then their connections close.
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeIdleConnections(); });
        clearTimeout(cut);
        if (receiver instanceof bolt.SocketModeReceiver) await receiver.stop().catch((err: unknown) => logger.warn({ err }, 'socket mode stop failed'));
        const left = await tasks.idle(graceMs);
        if (left > 0) { shutdown.abort(new Error('why137 is shutting down')); await tasks.idle(2_000); }
        // What the worker has not finished stays queued for the next start.
        await pagerduty?.close(graceMs).catch((err: unknown) => logger.warn({ err }, 'pagerduty worker stop failed'));
        if (ownStore) store.close();
        logger.info({ abandoned: left }, 'stopped');
      })();
      return closed;
    },
  };
}

async function verifyBotToken(web: WebClient, settings: ServeSettings): Promise<{ team?: string; userId?: string; botId?: string }> {
  try {
    const r = await web.auth.test();
    return { team: r.team_id, userId: r.user_id, botId: r.bot_id };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code) {
      throw new Why137Error('why137_config_invalid', `SLACK_BOT_TOKEN was refused by Slack (${code}): copy the current Bot User OAuth Token from OAuth & Permissions in your Slack app settings, reinstalling the app if it was revoked`, { cause: err });
    }
    throw new Why137Error('why137_config_invalid', `Slack's Web API at ${settings.apiUrl ?? 'https://slack.com/api/'} did not answer auth.test (${(err as Error).message.split('\n')[0]}): check the network${settings.apiUrl ? ' and SLACK_API_URL' : ''}`, { cause: err });
  }
}

function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new Why137Error('why137_config_invalid', `cannot listen on ${host ?? '*'}:${port} (${err.code ?? err.message}): set PORT to a free port`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
