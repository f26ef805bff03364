import { ECSClient } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Clients } from '../../src/clients/clients.js';
import type { CollectContext, StepOutput } from '../../src/sources/source.js';
import type { Target } from '../../src/targets/target.js';

export interface AwsContextOptions<P> {
  /** A fake's or moto's endpoint: every AWS client of the context talks to it. */
  endpoint: string;
  target: Target;
  params: P;
  needs?: Record<string, StepOutput>;
  signal?: AbortSignal;
  window?: { since: Date; until: Date };
  /** SDK attempts per call (the SDK's default is 3); 1 turns its retries off. */
  maxAttempts?: number;
}

// Dummy keys, given to each client: nothing reads or changes process.env.
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const REGION = 'us-east-1';

/** A CollectContext whose ECS, Logs and Lambda clients point at one loopback endpoint; other clients throw. */
export function awsContext<P>(o: AwsContextOptions<P>): CollectContext<P> {
  const config = { endpoint: o.endpoint, region: REGION, credentials: CREDENTIALS, ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}) };
  const ecs = new ECSClient(config);
  const logs = new CloudWatchLogsClient(config);
  const lambda = new LambdaClient(config);
  const none = (what: string) => () => { throw new Error(`this test gives no ${what} client`); };
  const clients: Clients = {
    ecs: () => ecs, logs: () => logs, lambda: () => lambda,
    kubernetes: none('kubernetes'), docker: none('docker'), ssh: none('ssh'),
  };
  return {
    target: o.target, params: o.params, needs: o.needs ?? {}, clients,
    signal: o.signal ?? new AbortController().signal,
    window: o.window ?? { since: new Date('2024-05-01T09:30:00Z'), until: new Date('2024-05-01T10:30:00Z') },
  };
}
