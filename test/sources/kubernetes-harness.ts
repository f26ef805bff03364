import { readFileSync } from 'node:fs';
import { createKubernetesClients } from '../../src/clients/kubernetes.js';
import type { Clients } from '../../src/clients/clients.js';
import { configSchema, type Config } from '../../src/config/config-schema.js';
import type { CollectContext, Source, StepOutput } from '../../src/sources/source.js';
import type { Target } from '../../src/targets/target.js';
import { startKubernetesApi, type FakeKubernetesApi } from '../fakes/kubernetes-api.js';
import { writeKubeconfig, type TestKubeconfig } from '../helpers/kubeconfig.js';
import { fixturePath } from '../helpers/fixture-path.js';

export interface KubernetesHarness {
  api: FakeKubernetesApi;
  kubeconfig: TestKubeconfig;
  config: Config;
  /** Real client-node clients on the fake (other platforms throw). */
  clients: Clients;
  /** Runs a source as the engine would, with a 5 s signal unless one is given. */
  collect<P>(source: Source<P>, target: Target, options?: { needs?: Record<string, StepOutput>; params?: unknown; signal?: AbortSignal }): Promise<StepOutput>;
  close(): Promise<void>;
}

export const OOM_POD = { kind: 'k8s', namespace: 'shop', pod: 'checkout-api-6d8f7b9c54-x7k2p' } as const satisfies Target;
export const OOM_NODE = 'ip-10-42-3-117.eu-west-1.compute.internal';

/** A recorded fixture's text (for byte-for-byte comparisons with what a source writes). */
export function fixtureText(rel: string): string {
  return readFileSync(fixturePath(...rel.split('/')), 'utf8');
}

/** A fake API, a kubeconfig for it and Clients built by createKubernetesClients, as the CLI builds them. */
export async function startKubernetesHarness(): Promise<KubernetesHarness> {
  const api = await startKubernetesApi();
  const kubeconfig = await writeKubeconfig({ server: api.url, token: api.token });
  const config = configSchema.parse({ kubernetes: { kubeconfig: kubeconfig.file } });
  const unused = (what: string) => (): never => { throw new Error(`${what} is not part of this test`); };
  const clients: Clients = {
    kubernetes: (context) => createKubernetesClients(context, config, {}),
    ecs: unused('ecs'), logs: unused('logs'), lambda: unused('lambda'), docker: unused('docker'), ssh: unused('ssh'),
  };
  return {
    api, kubeconfig, config, clients,
    collect: (source, target, options = {}) => {
      const ctx: CollectContext<never> = {
        target,
        params: source.params.parse(options.params ?? {}) as never,
        needs: options.needs ?? {},
        clients,
        signal: options.signal ?? AbortSignal.timeout(5000),
        window: { since: new Date(Date.now() - 30 * 60_000), until: new Date() },
      };
      return source.collect(ctx);
    },
    close: async () => { await api.close(); await kubeconfig.cleanup(); },
  };
}
