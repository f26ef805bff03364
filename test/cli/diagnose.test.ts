import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli, type CliDeps } from '../../src/cli/run-cli.js';
import type { SourceRegistry } from '../../src/sources/index.js';
import type { StepOutput } from '../../src/sources/source.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { fakeSource, noClients } from '../runbooks/fake-sources.js';
import { runCliCaptured } from '../helpers/run-cli-captured.js';

const root = mkdtempSync(path.join(tmpdir(), 'why137-diagnose-'));
const emptyConfig = path.join(root, 'empty.yaml');
writeFileSync(emptyConfig, '# defaults\n');
const env = { WHY137_CONFIG: emptyConfig };
let n = 0;
const freshDir = (): string => path.join(root, `out-${++n}`);

const cli = (argv: string[], deps: CliDeps, e: Record<string, string> = env): Promise<{ code: number; stdout: string; stderr: string }> => runCliCaptured(argv, deps, e);

const fixture = (...p: string[]): string => readFileSync(fixturePath(...p), 'utf8');
const returns = (name: string, content: string, facts: Record<string, unknown> = {}) => async (): Promise<StepOutput> => ({ artifacts: [{ name, content }], facts, calls: 1 });
const nothing = async (): Promise<StepOutput> => ({ artifacts: [], facts: {}, calls: 1 });
const unused = async (): Promise<StepOutput> => { throw new Error('not in this runbook'); };

/** Every registered source name, each returning real recorded fixtures for one incident. */
function registry(over: Record<string, () => Promise<StepOutput>>): SourceRegistry {
  const names = ['docker.inspect', 'docker.events', 'ssh.kernel-log', 'kubernetes.pod', 'kubernetes.events', 'kubernetes.node', 'kubernetes.owner',
    'kubernetes.workload-pod', 'ecs.tasks', 'ecs.service-task', 'ecs.task-definition', 'ecs.container-instance', 'logs.insights', 'lambda.config'];
  return Object.fromEntries(names.map((s) => [s, fakeSource(s, over[s] ?? unused, `what ${s} reads`)]));
}

const kubernetesIncident = registry({
  'kubernetes.pod': returns('pod.json', fixture('kubernetes', 'pod-oomkilled-crashloop.json'), { nodeName: 'ip-10-42-3-117.eu-west-1.compute.internal', finishedAt: '2026-11-23T10:00:00Z' }),
  'kubernetes.events': returns('events.json', fixture('kubernetes', 'events-system-oom.json')),
  'kubernetes.node': returns('node.yaml', fixture('kubernetes', 'node-healthy.yaml')),
  // The owning Deployment: context for remediation, read by no parser.
  'kubernetes.owner': returns('owner.json', '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"checkout-api","namespace":"shop"}}\n'),
  // Another host's kernel log: the verdict sets it aside, live and replayed alike.
  'ssh.kernel-log': returns('dmesg.txt', fixture('kernel', 'cgroupv2-kernel5.15-kubepods-systemd-journalctl-k.txt')),
});

const dockerIncident = registry({
  'docker.inspect': returns('docker-inspect.json', fixture('docker', 'inspect-oom-killed-cgroupv1.json'), { containerId: 'e2234ca15c4b', finishedAt: '2026-11-23T13:38:41.562857731Z' }),
  'docker.events': returns('docker-events.jsonl', fixture('docker', 'events-oom-killed.jsonl')),
  'ssh.kernel-log': returns('dmesg.txt', fixture('kernel', 'recorded-dmesg-docker-oom-cgroupv1-kernel6.18.txt')),
});

/** `why137 explain DIR/*` as a shell expands it: every file not starting with a dot, sorted. */
const glob = (dir: string): string[] => readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => path.join(dir, f));

describe('why137 diagnose', () => {
  test.each([
    // The node's SystemOOM events point the OOMKilled container at the host.
    ['a Kubernetes pod', 'k8s:shop/checkout-api-6d8f7b9c54-x7k2p', kubernetesIncident, ['dmesg.txt', 'events.json', 'node.yaml', 'pod.json'], 'host_oom'],
    ['a Docker container', 'docker:why137-oom', dockerIncident, ['dmesg.txt', 'docker-events.jsonl', 'docker-inspect.json'], 'cgroup_oom'],
  ])('%s: --save-artifacts DIR, then explain DIR/* replays the same verdict (JSON and text)', async (_name, target, sources, files, cause) => {
    const deps: CliDeps = { sources, createClients: () => noClients };
    for (const json of [true, false]) {
      const dir = freshDir();
      const live = await cli(['diagnose', ...(json ? ['--json'] : []), '--save-artifacts', dir, target], deps);
      expect(live.stderr).toBe('');
      expect(live.code).toBe(0);
      expect(glob(dir).map((f) => path.basename(f))).toEqual(files);
      const replay = await cli(['explain', ...(json ? ['--json'] : []), ...glob(dir)], {});
      expect(replay.code).toBe(0);
      expect(replay.stdout).toBe(live.stdout);
      if (json) {
        const v = JSON.parse(live.stdout) as { cause: string; unavailable: unknown[]; inputs: { file: string }[] };
        expect(v.cause).toBe(cause);
        expect(v.unavailable).toEqual([]);
        expect(v.inputs.map((i) => i.file)).toEqual(glob(dir));
      }
    }
  });

  test('--save-artifacts keeps what no parser reads, and the step record, as dot-files outside the replay', async () => {
    const dir = freshDir();
    await cli(['diagnose', '--save-artifacts', dir, 'k8s:shop/checkout-api-6d8f7b9c54-x7k2p'], { sources: kubernetesIncident, createClients: () => noClients });
    expect(readFileSync(path.join(dir, '.owner.json'), 'utf8')).toContain('"kind":"Deployment"');
    const record = JSON.parse(readFileSync(path.join(dir, '.why137-diagnose.json'), 'utf8')) as { runbook: string; steps: { id: string; status: string }[] };
    expect(record.runbook).toBe('kubernetes-pod');
    expect(record.steps.map((s) => `${s.id}:${s.status}`)).toEqual(['pod:ok', 'events:ok', 'node:ok', 'owner:ok', 'kernel-log:ok']);
  });

  test('a source that cannot be read still gives a verdict (exit 0), and says what it could not see', async () => {
    const sources = registry({
      'docker.inspect': returns('docker-inspect.json', fixture('docker', 'inspect-oom-killed-cgroupv1.json'), { containerId: 'e2234ca15c4b' }),
      'docker.events': async () => { throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:2376'), { code: 'ECONNREFUSED' }); },
      'ssh.kernel-log': async () => { throw new Error('dmesg: read kernel buffer failed: Operation not permitted'); },
    });
    const r = await cli(['diagnose', 'docker:why137-oom'], { sources, createClients: () => noClients });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cgroup_oom: /);
    expect(r.stdout).toContain('Could not see');
    expect(r.stdout).toContain('docker.events: connect ECONNREFUSED 10.0.0.5:2376; missing what docker.events reads');
    expect(r.stdout).toContain('ssh.kernel-log: dmesg: read kernel buffer failed: Operation not permitted; missing what ssh.kernel-log reads');
    const j = await cli(['diagnose', '--json', 'docker:why137-oom'], { sources, createClients: () => noClients });
    expect((JSON.parse(j.stdout) as { unavailable: unknown[] }).unavailable).toHaveLength(2);
  });

  test('progress reaches an injected onStep', async () => {
    const seen: string[] = [];
    await cli(['diagnose', 'docker:why137-oom'], { sources: dockerIncident, createClients: () => noClients, onStep: (id, status) => seen.push(`${id} ${status}`) });
    expect(seen.filter((s) => s.startsWith('inspect'))).toEqual(['inspect running', 'inspect ok']);
    expect(seen).toHaveLength(6);
  });

  describe('exit 2 with one line for bad input', () => {
    const deps: CliDeps = { sources: dockerIncident, createClients: () => noClients };
    test.each([
      ['no target', ['diagnose'], /diagnose: no TARGET given; expected: why137 diagnose/, 'why137_usage'],
      ['two targets', ['diagnose', 'docker:a', 'docker:b'], /one TARGET expected, got 2/, 'why137_usage'],
      ['an unknown flag', ['diagnose', '--fast', 'docker:a'], /diagnose: Unknown option '--fast'/, 'why137_usage'],
      ['a malformed target', ['diagnose', 'k8s:default/$(rm -rf)'], /target "k8s:default\/\$\(rm -rf\)": pod .*expected one of: k8s:/, 'why137_target_invalid'],
      ['a docker host not configured', ['diagnose', 'docker:build-01/web'], /docker host build-01 is not configured/, 'why137_target_invalid'],
      ['a missing config file', ['diagnose', '--config', '/nonexistent/why137.yaml', 'docker:web'], /\/nonexistent\/why137\.yaml: no such file/, 'why137_config_invalid'],
      ['an unknown runbook', ['diagnose', '--runbook', 'nope', 'docker:web'], /--runbook nope: no such runbook/, 'why137_usage'],
    ])('%s', async (_name, argv, why, code) => {
      const r = await cli(argv, deps);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toMatch(new RegExp(`\\(${code}\\)\\n$`));
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });

    test('a bad runbook in runbooks.dir', async () => {
      const dir = freshDir();
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'docker-container.yaml'), 'name: docker-container\ntarget: docker\nsteps:\n  - { id: inspect, source: docker.inspect, timeout: soon }\n');
      const config = path.join(dir, 'why137.yaml');
      writeFileSync(config, `runbooks: { dir: ${dir} }\n`);
      const r = await cli(['diagnose', '--config', config, 'docker:web'], deps);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/docker-container\.yaml: steps\[0\]\.timeout: "soon" is not a duration.*\(why137_runbook_invalid\)\n$/);
    });

    test('a --save-artifacts directory that is not empty (stale files would change the replay)', async () => {
      const dir = freshDir();
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'pod.json'), '{}');
      const r = await cli(['diagnose', '--save-artifacts', dir, 'docker:why137-oom'], deps);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--save-artifacts .*: not empty \(1 entries\); expected a new or empty directory/);
      expect(existsSync(path.join(dir, 'docker-inspect.json'))).toBe(false);
    });
  });
});
