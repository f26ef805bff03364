import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { readConfig } from '../../src/config/read-config.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/start-server.js';
import { createLogger } from '../../src/server/create-logger.js';
import { actionIds } from '../../src/chat/slack/action-ids.js';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../fakes/slack-api.js';
import { postSigned, type SignedResponse, type SignOptions } from './slack-signing.js';
import { buttonClick, slashCommand, viewSubmission, type ButtonFields, type CommandFields } from './slack-payloads.js';

export const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';

export interface HarnessOptions extends Partial<Omit<StartServerOptions, 'config' | 'store' | 'logger'>> {
  /** The config file's text (store.path is added). */
  configYaml?: string;
  /** The clock the store and the app share (expiry tests move it). */
  clock?: () => Date;
  /** Runs once the fake Slack is up, before the app starts (e.g. to start the Socket Mode fake). */
  beforeStart?: (slack: FakeSlack) => Promise<void>;
}

export interface Harness {
  slack: FakeSlack;
  server: RunningServer;
  store: Store;
  /** http://127.0.0.1:PORT */
  base: string;
  storePath: string;
  /** Every log line the server wrote (JSON). */
  logs: string[];
  post(rawBody: string, options?: SignOptions & { retryNum?: number }): Promise<SignedResponse>;
  command(text: string, fields?: Omit<CommandFields, 'text'>): Promise<SignedResponse>;
  click(actionId: string, value: string, fields?: Omit<ButtonFields, 'actionId' | 'value'>): Promise<SignedResponse>;
  /** Submits the confirmation modal of a proposal, with `value` typed (undefined: the input left as proposed). */
  submit(proposalId: string, value: string, fields?: { user?: string; triggerId?: string; retryNum?: number }): Promise<SignedResponse>;
  /** Closes the app and the store, then opens new ones on the same SQLite file (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real Bolt app (startServer) on loopback, against the fake Slack Web API, with a SQLite store in
 * a temp directory. Requests are signed exactly as Slack signs them.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = await startFakeSlack();
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-slack-'));
  const storePath = path.join(dir, 'why137.sqlite');
  const configFile = path.join(dir, 'why137.yaml');
  writeFileSync(configFile, `${options.configYaml ?? ''}\nstore:\n  path: ${storePath}\n`);
  const env = { SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, WHY137_CONFIG: configFile, ...options.env };
  const config = readConfig(env);
  const logs: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, cb) { logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)); cb(); } });
  const logger = createLogger('debug', sink);
  const { configYaml: _c, clock, beforeStart, ...rest } = options;
  await beforeStart?.(slack);

  const open = async (): Promise<{ server: RunningServer; store: Store }> => {
    const store = createSqliteStore(storePath, clock ? { now: clock } : {});
    const server = await startServer({ env, apiRetryMinMs: 50, ...rest, config, store, logger, port: 0, host: '127.0.0.1', ...(clock ? { now: clock } : {}) });
    return { server, store };
  };
  let current: { server: RunningServer; store: Store };
  try { current = await open(); } catch (err) { await slack.close(); throw err; }
  const h: Harness = {
    slack, storePath, logs,
    get server() { return current.server; },
    get store() { return current.store; },
    get base() { return `http://127.0.0.1:${current.server.port}`; },
    post: (raw, o) => postSigned(`${h.base}/slack/events`, SIGNING_SECRET, raw, o),
    command: (text, fields = {}) => h.post(slashCommand({ text, responseUrl: slack.responseUrl('cmd'), ...fields })),
    click: (actionId, value, fields = {}) => h.post(buttonClick({ actionId, value, responseUrl: slack.responseUrl('click'), ...fields })),
    submit: (proposalId, value, fields = {}) => h.post(viewSubmission({
      callbackId: actionIds.confirmView, privateMetadata: proposalId,
      values: { [actionIds.valueBlock]: { [actionIds.valueInput]: value } },
      ...(fields.user ? { user: fields.user } : {}), ...(fields.triggerId ? { triggerId: fields.triggerId } : {}),
    }), fields.retryNum !== undefined ? { retryNum: fields.retryNum } : {}),
    async restart() {
      await current.server.close(5_000);
      current.store.close();
      current = await open();
    },
    async close() {
      await current.server.close(5_000);
      current.store.close();
      await slack.close();
    },
  };
  return h;
}
