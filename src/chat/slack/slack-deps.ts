import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Config } from '../../config/config-schema.js';
import type { Clients } from '../../clients/clients.js';
import type { SourceRegistry } from '../../sources/index.js';
import type { Runbook } from '../../runbooks/runbook-schema.js';
import type { RunRunbookOptions } from '../../runbooks/run-runbook.js';
import type { Store } from '../../store/store.js';
import type { Executor } from '../../remediation/execute/executor.js';
import type { Edit } from '../../remediation/edit.js';
import type { TaskTracker } from '../../server/task-tracker.js';
import type { Metrics } from '../../server/create-metrics.js';

/** Executors by platform; a platform without one gets no buttons (its proposals are shown as advice). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each executor has its own edit type
export type ExecutorRegistry = Partial<Record<Edit['platform'], Executor<any>>>;

/** Everything the Slack handlers use, injected (tests pass a fake Web API, fake sources, a temp store). */
export interface SlackDeps {
  web: WebClient;
  store: Store;
  config: Config;
  clients: Clients;
  sources: SourceRegistry;
  runbooks: ReadonlyMap<string, Runbook>;
  executors: ExecutorRegistry;
  logger: Logger;
  tasks: TaskTracker;
  /** Members of a Slack user group (cached briefly). */
  groupMembers(group: string): Promise<string[]>;
  now(): Date;
  newId(prefix: 'inc' | 'prop'): string;
  /** Aborted at shutdown: running runbooks and executions stop. */
  signal: AbortSignal;
  retry?: RunRunbookOptions['retry'];
  /** Counted when set (`why137 serve` sets it; tests may leave it out). */
  metrics?: Metrics;
}
