import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli, type CliDeps } from '../../src/cli/run-cli.js';
import type { Clients } from '../../src/clients/clients.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { awsError } from '../runbooks/fake-sources.js';
import { runCliCaptured } from '../helpers/run-cli-captured.js';

const root = mkdtempSync(path.join(tmpdir(), 'why137-config-check-'));
const config = path.join(root, 'why137.yaml');
writeFileSync(config, `
kubernetes: { contexts: [prod, staging] }
aws: { region: eu-west-1 }
docker: { hosts: { build-01: { url: "ssh://why137@build-01" } } }
ssh:
  hosts:
    - { match: build-01, user: why137, privateKeyFile: key }
    - { match: "ip-10-0-*", user: why137, privateKeyEnv: WHY137_SSH_KEY }
`);

const cli = (argv: string[], deps: CliDeps): Promise<{ code: number; stdout: string; stderr: string }> => runCliCaptured(argv, deps, {});

const calls: string[] = [];
/** Each client answers the one cheap read config check makes, as a real API would fail or succeed. */
function clients(failing: boolean): Clients {
  const fail = (e: Error) => async (): Promise<never> => { throw e; };
  return {
    kubernetes: (ctx) => {
      if (ctx === 'staging') throw new Why137Error('why137_target_invalid', 'context staging is not in kubeconfig /home/x/.kube/config; it has prod');
      return { core: { listPodForAllNamespaces: async (p: unknown) => { calls.push(`kubernetes ${ctx} listPodForAllNamespaces ${JSON.stringify(p)}`); return { items: [] }; } } } as never;
    },
    ecs: () => ({ send: failing ? fail(awsError('AccessDeniedException', 'User is not authorized to perform: ecs:ListClusters')) : async (c: { input: unknown }) => { calls.push(`ecs ${JSON.stringify(c.input)}`); return {}; } }) as never,
    lambda: () => ({ send: failing ? fail(awsError('TooManyRequestsException', 'Rate exceeded', 429)) : async (c: { input: unknown }) => { calls.push(`lambda ${JSON.stringify(c.input)}`); return {}; } }) as never,
    logs: () => ({ send: failing ? fail(Object.assign(new Error('getaddrinfo ENOTFOUND logs.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND' })) : async (c: { input: unknown }) => { calls.push(`logs ${JSON.stringify(c.input)}`); return {}; } }) as never,
    docker: (host) => ({ ping: async () => { calls.push(`docker ${host} ping`); return 'OK'; } }) as never,
    ssh: (name) => ({ exec: async (command: string) => { calls.push(`ssh ${name} ${command}`); return { stdout: '', stderr: '', code: 0, truncated: false }; } }),
  };
}

const deps = (failing: boolean): CliDeps => ({ createClients: () => clients(failing), localDockerSocket: path.join(root, 'no-docker.sock') });

describe('why137 config check', () => {
  test('one cheap read per configured source, as a table; exit 3 when one is denied or unreachable', async () => {
    const r = await cli(['config', 'check', '--config', config], deps(true));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    const rows = r.stdout.split('\n').filter((l) => l.includes(' | ')).map((l) => l.split(' | ').map((c) => c.trim()));
    expect(rows[0]).toEqual(['source', 'target', 'status', 'detail']);
    expect(rows.slice(1).map((c) => c.slice(0, 3))).toEqual([
      ['kubernetes', 'prod', 'reachable'],
      ['kubernetes', 'staging', 'not configured'],
      ['ecs', 'eu-west-1', 'denied'],
      ['lambda', 'eu-west-1', 'reachable'],
      ['logs', 'eu-west-1', 'unreachable'],
      ['docker', 'build-01', 'reachable'],
      ['ssh', 'build-01', 'reachable'],
      ['ssh', 'ip-10-0-*', 'skipped'],
    ]);
    expect(r.stdout).toMatch(/ecs +\| eu-west-1 \| denied +\| denied: User is not authorized to perform: ecs:ListClusters \[AccessDeniedException\]/);
    expect(r.stdout).toMatch(/lambda +\| eu-west-1 \| reachable +\| throttled: Rate exceeded \[TooManyRequestsException\]/);
    expect(r.stdout).toMatch(/config: valid .*runbooks: docker-container, ecs-service, ecs-task, host, kubernetes-pod, kubernetes-workload, lambda-function/);
  });

  test('every source reachable: exit 0, and the reads are the cheap ones', async () => {
    calls.length = 0;
    const r = await cli(['config', 'check', '--config', config], deps(false));
    expect(r.code).toBe(0);
    expect(calls.sort()).toEqual([
      'docker build-01 ping',
      'ecs {"maxResults":1}',
      'kubernetes prod listPodForAllNamespaces {"limit":1}',
      'lambda {"MaxItems":1}',
      'logs {"limit":1}',
      'ssh build-01 true',
    ]);
  });

  test('a bad config file: exit 2 naming the file and field', async () => {
    const bad = path.join(root, 'bad.yaml');
    writeFileSync(bad, 'aws: { region: mars }\n');
    const r = await cli(['config', 'check', '--config', bad], deps(false));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`why137: ${bad}: aws.region: expected an AWS region like eu-west-1 (why137_config_invalid)\n`);
  });

  test('an unknown config subcommand', async () => {
    const r = await cli(['config', 'show'], deps(false));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config show: unknown subcommand; expected: why137 config check/);
  });
});
