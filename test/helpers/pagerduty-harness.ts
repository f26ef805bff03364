import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { readConfig } from '../../src/config/read-config.js';
import type { Config } from '../../src/config/config-schema.js';
import { createHttpServer } from '../../src/server/create-http-server.js';
import { healthz } from '../../src/server/routes/healthz.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import type { PagerDutySlack } from '../../src/triggers/pagerduty/pagerduty-slack.js';
import { createPagerDutyTrigger, type PagerDutyTrigger } from '../../src/triggers/pagerduty/pagerduty-trigger.js';

export const SECRET = 'whsec-test-0123456789abcdefABCDEF';
export const OLD_SECRET = 'whsec-old-fedcba9876543210FEDCBA';

/** The test config: one channel per fixture's service, a fallback, a service with regex rules, the contexts and docker host the fixtures name. */
export const PAGERDUTY_CONFIG = `
kubernetes:
  contexts: [prod-eu]
aws:
  region: eu-west-1
docker:
  hosts:
    build-01: { url: "ssh://why137@build-01.internal" }
pagerduty:
  fallbackChannel: C0FALLBACK
  services:
    - { id: PK8SPRD, channel: C0K8SPROD }
    - { id: PECSPRD, channel: C0ECSPROD }
    - { name: serverless-prod, channel: C0LAMBDA1 }
    - { id: PCIHOST, channel: C0CIHOSTS }
    - { id: PCHKAPI, channel: C0CHECKOUT }
    - id: PRULES1
      channel: C0RULES01
      builtins: false
      rules:
        - { field: title, pattern: 'OOMKilled (?<ns>[a-z0-9-]+)/(?<pod>[a-z0-9.-]+)', target: 'k8s:{ns}/{pod}' }
        - { field: custom_details.svc, pattern: '^(?<name>[a-z-]+)$', target: 'ecs:eu-west-1/prod/service/{name}' }
`;

export interface PagerDutyHarness {
  url: string;
  config: Config;
  store: Store;
  trigger: PagerDutyTrigger;
  server: Server;
  /** Closes the listener and the trigger (without waiting for running work) and the store: a crash, as far as the file is concerned. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  apiUrl: string;
  slack: PagerDutySlack | ((store: Store) => PagerDutySlack);
  /** The SQLite file (default: a new temp file); reopen one to restart. */
  storeFile?: string;
  configText?: string;
  env?: Record<string, string>;
  foldDelayMs?: number;
}

/** A temp SQLite path. */
export function tempStoreFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'why137-pd-')), 'why137.sqlite');
}

/**
 * The PagerDuty trigger as `why137 serve` runs it: config from readConfig (a temp YAML file and a test
 * env), the store on a SQLite file, the webhook route on the server's own HTTP listener (createHttpServer,
 * with /healthz beside it, as in Socket Mode), the worker started.
 */
export async function startPagerDutyHarness(o: HarnessOptions): Promise<PagerDutyHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-pd-config-'));
  const file = path.join(dir, 'why137.yaml');
  writeFileSync(file, o.configText ?? PAGERDUTY_CONFIG);
  const config = readConfig({
    HOME: dir, PAGERDUTY_WEBHOOK_SECRET: SECRET, PAGERDUTY_API_TOKEN: 'u+fakeRestApiKey00001', PAGERDUTY_FROM_EMAIL: 'why137-bot@example.com',
    PAGERDUTY_API_URL: o.apiUrl, ...o.env,
  }, file);
  const store = createSqliteStore(o.storeFile ?? tempStoreFile());
  const logger = pino({ level: 'silent' });
  const slack = typeof o.slack === 'function' ? o.slack(store) : o.slack;
  const trigger = createPagerDutyTrigger({ config, store, slack, log: logger, backoff: { baseMs: 5, capMs: 50 }, pollMs: 200, foldDelayMs: o.foldDelayMs ?? 20 })!;
  const server = createHttpServer({ routes: [healthz(), trigger.route], logger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  trigger.start();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stopListening = () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  return {
    url, config, store, trigger, server,
    async crash() {
      await stopListening();
      trigger.worker.stop();
      store.close();
    },
    async close() {
      await stopListening();
      await trigger.close(5_000);
      store.close();
    },
  };
}
