import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export interface TestKubeconfig {
  /** The kubeconfig file. */
  file: string;
  /** `why137-fake` (the current-context) and `why137-fake-other`. */
  contexts: [string, string];
  cleanup(): Promise<void>;
}

/**
 * Writes a kubeconfig for loopback fakes: each cluster is plain http with insecure-skip-tls-verify (client-node
 * refuses http otherwise), each user a bearer token. `other` (default: the same server and token) backs the
 * second context, so a test can tell which context a client used.
 */
export async function writeKubeconfig(main: { server: string; token: string }, other: { server: string; token: string } = main): Promise<TestKubeconfig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'why137-kubeconfig-'));
  const file = path.join(dir, 'config');
  const contexts: [string, string] = ['why137-fake', 'why137-fake-other'];
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contexts[0],
    clusters: [
      { name: 'fake', cluster: { server: main.server, 'insecure-skip-tls-verify': true } },
      { name: 'fake-other', cluster: { server: other.server, 'insecure-skip-tls-verify': true } },
    ],
    users: [
      { name: 'fake-user', user: { token: main.token } },
      { name: 'fake-other-user', user: { token: other.token } },
    ],
    contexts: [
      { name: contexts[0], context: { cluster: 'fake', user: 'fake-user', namespace: 'default' } },
      { name: contexts[1], context: { cluster: 'fake-other', user: 'fake-other-user', namespace: 'default' } },
    ],
    preferences: {},
  };
  await writeFile(file, stringify(config), { mode: 0o600 });
  return { file, contexts, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
