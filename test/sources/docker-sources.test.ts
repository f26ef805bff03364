import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createDockerClient } from '../../src/clients/docker.js';
import { createSshExecutor } from '../../src/clients/ssh.js';
import type { Clients } from '../../src/clients/clients.js';
import { configSchema, type Config } from '../../src/config/config-schema.js';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { explainEvidence } from '../../src/cli/explain-files.js';
import type { Evidence, KernelOomEvidence } from '../../src/diagnosis/evidence.js';
import type { Explanation } from '../../src/surfaces/explanation.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { dockerInspectSource } from '../../src/sources/docker-inspect.js';
import { dockerEventsSource } from '../../src/sources/docker-events.js';
import type { CollectContext, RawArtifact, StepOutput } from '../../src/sources/source.js';
import type { Target } from '../../src/targets/target.js';
import { describeWithComponents } from '../helpers/component.js';
import { startDockerd, type Dockerd } from '../helpers/dockerd.js';
import { waitForOomKilled } from '../helpers/wait-for-oom-killed.js';

const MINUTE = 60_000;
const ACTIONS = new Set(['oom', 'kill', 'die', 'stop', 'start', 'restart']);
// Doubles a shell string until the 32 MiB limit is hit (busybox sh, no other tools needed).
const EAT_MEMORY = 'x=0123456789abcdef; while :; do x=$x$x; done';

function clientsFor(config: Config, env: NodeJS.ProcessEnv): Clients {
  const unused = (what: string) => (): never => { throw new Error(`${what} is not used here`); };
  return {
    kubernetes: unused('kubernetes'), ecs: unused('ecs'), logs: unused('logs'), lambda: unused('lambda'),
    docker: (host) => createDockerClient(host, config, env),
    ssh: (name) => createSshExecutor(name, config, env),
  };
}

function ctx(clients: Clients, target: Target, needs: Record<string, StepOutput> = {}, signal = new AbortController().signal): CollectContext<Record<string, never>> {
  const now = Date.now();
  return { target, params: {}, needs, clients, signal, window: { since: new Date(now - 30 * MINUTE), until: new Date(now + 5 * MINUTE) } };
}

interface Collected { inspect: StepOutput; events: StepOutput; artifacts: RawArtifact[] }

async function explain(artifacts: RawArtifact[]): Promise<{ explanation: Explanation; evidence: Evidence[] }> {
  const evidence: Evidence[] = [];
  const inputs: Explanation['inputs'] = [];
  for (const a of artifacts) {
    const r = await readArtifactContent(a.name, a.content);
    inputs.push({ file: a.name, kind: r.kind });
    evidence.push(...r.evidence);
  }
  return { explanation: explainEvidence(evidence, inputs), evidence };
}

function eventsOf(out: StepOutput): { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; time: number; timeNano: number }[] {
  const a = out.artifacts.find((x) => x.name === 'docker-events.jsonl');
  return a ? a.content.trimEnd().split('\n').map((l) => JSON.parse(l)) : [];
}

describeWithComponents('Docker sources against a real dockerd', ['dockerd', 'docker', 'busybox', 'dmesg'], () => {
  let d: Dockerd;
  let clients: Clients;
  const collected: Record<string, Collected> = {};

  const collect = async (container: string): Promise<Collected> => {
    const inspect = await dockerInspectSource.collect(ctx(clients, { kind: 'docker', container }));
    const events = await dockerEventsSource.collect(ctx(clients, { kind: 'docker', container }, { inspect }));
    return { inspect, events, artifacts: [...inspect.artifacts, ...events.artifacts] };
  };
  const docker = async (args: string[]): Promise<string> => {
    const r = await d.docker(args);
    if (r.code !== 0 && !(args[0] === 'wait')) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    d = await startDockerd();
    // The CLI's way to find the engine: DOCKER_HOST in the (injected) environment.
    clients = clientsFor(configSchema.parse({}), { DOCKER_HOST: `unix://${d.socket}` });
    await Promise.all([
      (async () => {
        await docker(['run', '-d', '--name', 'oom', '--memory=32m', '--memory-swap=32m', d.image, 'sh', '-c', EAT_MEMORY]);
        await docker(['wait', 'oom']);
        await waitForOomKilled(docker, 'oom');
      })(),
      (async () => {
        await docker(['run', '-d', '--name', 'killed', '--memory=64m', d.image, 'sleep', '300']);
        await docker(['kill', 'killed']);
        await docker(['wait', 'killed']);
      })(),
      (async () => {
        // `trap "" TERM`: the shell ignores SIGTERM, as an app without a handler running as PID 1 does.
        await docker(['run', '-d', '--name', 'stopped', '--memory=64m', d.image, 'sh', '-c', 'trap "" TERM; while :; do sleep 1; done']);
        await docker(['stop', '-t', '1', 'stopped']);
      })(),
      (async () => {
        // No limit; SIGKILLed from the host by pid, as the host's OOM killer or an operator's kill -9 would.
        await docker(['run', '-d', '--name', 'unlimited', d.image, 'sleep', '300']);
        const pid = Number(await docker(['inspect', '-f', '{{.State.Pid}}', 'unlimited']));
        process.kill(pid, 'SIGKILL');
        await docker(['wait', 'unlimited']);
      })(),
    ]);
    for (const name of ['oom', 'killed', 'stopped', 'unlimited']) collected[name] = await collect(name);
  }, 180_000);
  afterAll(async () => { await d?.stop(); }, 60_000);

  test('inspect: the engine API object as `docker inspect` prints it, and the facts dependants need', async () => {
    const { inspect } = collected.oom!;
    expect(inspect.artifacts.map((a) => a.name)).toEqual(['docker-inspect.json']);
    const doc = JSON.parse(inspect.artifacts[0]!.content) as { Id: string; Name: string; State: { ExitCode: number; OOMKilled: boolean; StartedAt: string; FinishedAt: string }; HostConfig: { Memory: number } };
    expect(doc).toMatchObject({ Name: '/oom', State: { ExitCode: 137, OOMKilled: true }, HostConfig: { Memory: 32 * 1024 * 1024 } });
    expect(inspect.artifacts[0]!.content).toMatch(/^\{\n {4}"Id": "[0-9a-f]{64}",\n/);
    expect(inspect.facts).toMatchObject({
      containerId: doc.Id, containerIds: [doc.Id], name: 'oom', startedAt: doc.State.StartedAt, finishedAt: doc.State.FinishedAt,
      status: 'exited', exitCode: 137, oomKilled: true, hostname: doc.Id.slice(0, 12),
    });
    expect(inspect.facts.pid).toBeUndefined(); // 0 once the container stopped
    expect(inspect.calls).toBe(1);
    expect((await readArtifactContent('docker-inspect.json', inspect.artifacts[0]!.content)).kind).toBe('docker.inspect');
  });

  test('inspect of a running container carries its host PID', async () => {
    await docker(['run', '-d', '--name', 'running', '--label', 'io.kubernetes.pod.uid=1b4e28ba-2fa1-11d2-883f-0016d3cca427', '--label', 'com.amazonaws.ecs.task-arn=arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef', d.image, 'sleep', '300']);
    const out = await dockerInspectSource.collect(ctx(clients, { kind: 'docker', container: 'running' }));
    expect(out.facts.pid).toEqual(Number(await docker(['inspect', '-f', '{{.State.Pid}}', 'running'])));
    expect(out.facts).toMatchObject({
      status: 'running', podUid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
      taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef',
    });
    expect(out.facts.finishedAt).toBeUndefined();
    const events = await dockerEventsSource.collect(ctx(clients, { kind: 'docker', container: 'running' }, { inspect: out }));
    expect(eventsOf(events).map((e) => e.Action)).toEqual(['start']);
  });

  test('events: one engine JSON object per line, only this container and the actions asked for', () => {
    for (const [name, c] of Object.entries(collected)) {
      const events = eventsOf(c.events);
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        expect(e.Type).toBe('container');
        expect(e.Actor.ID).toBe(c.inspect.facts.containerId);
        expect(ACTIONS.has(e.Action)).toBe(true);
        expect(e.Actor.Attributes.name).toBe(name);
      }
      // timeNano is passed through as the engine wrote it (its 19 digits do not survive a double).
      expect(c.events.artifacts[0]!.content).toMatch(/"timeNano":\d{19}\}?/);
      expect(c.events.facts.events).toBe(events.length);
    }
    // The engine emits `oom` just before `die`, or just after it when its OOM event is late (see beforeAll).
    expect(eventsOf(collected.oom!.events).map((e) => e.Action).sort()).toEqual(['die', 'oom', 'start']);
    expect(eventsOf(collected.oom!.events)[0]!.Action).toBe('start');
    expect(eventsOf(collected.killed!.events).map((e) => `${e.Action}${e.Actor.Attributes.signal ? `:${e.Actor.Attributes.signal}` : ''}`)).toEqual(['start', 'kill:9', 'die']);
    expect(eventsOf(collected.stopped!.events).map((e) => `${e.Action}${e.Actor.Attributes.signal ? `:${e.Actor.Attributes.signal}` : ''}`)).toEqual(['start', 'kill:15', 'kill:9', 'die', 'stop']);
    for (const c of Object.values(collected)) expect(eventsOf(c.events).find((e) => e.Action === 'die')?.Actor.Attributes.exitCode).toBe('137');
  });

  test('OOM-killed at --memory=32m: cgroup_oom, and the real kernel log ties its OOM kill to the container', async () => {
    const { inspect, artifacts } = collected.oom!;
    const id = inspect.facts.containerId as string;
    const withoutKernel = await explain(artifacts);
    expect(withoutKernel.explanation.verdict.cause).toBe('cgroup_oom');

    const dmesg = spawnSync('dmesg', ['-T'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
    expect(dmesg.status).toBe(0);
    const { explanation, evidence } = await explain([...artifacts, { name: 'dmesg.txt', content: dmesg.stdout }]);
    const kills = evidence.filter((e): e is KernelOomEvidence => e.kind === 'kernel.oom' && (e.limitCgroup ?? '').includes(id));
    expect(kills).toHaveLength(1);
    expect(kills[0]).toMatchObject({ scope: 'cgroup', process: 'sh', constraint: 'CONSTRAINT_MEMCG' });
    expect(kills[0]!.limitCgroup).toMatch(new RegExp(`/docker/${id}$`));
    // dmesg -T and the engine's FinishedAt agree to the second on this host.
    expect(Math.abs(Date.parse(`${kills[0]!.time}Z`) - Date.parse(inspect.facts.finishedAt as string))).toBeLessThan(5_000);
    const v = explanation.verdict;
    expect(v.cause).toBe('cgroup_oom');
    expect(v.confidence).toBe('high');
    expect(v.evidence.map((f) => f.file)).toContain('dmesg.txt');
    expect(v.limitBytes).toBe(32 * 1024 * 1024);
    expect(v.target).toMatchObject({ platform: 'docker', containerId: id, containerName: 'oom' });
  });

  test('docker kill: external_sigkill, the engine sent signal 9 with no SIGTERM first', async () => {
    const { explanation } = await explain(collected.killed!.artifacts);
    const v = explanation.verdict;
    expect(v.cause).toBe('external_sigkill');
    expect(v.confidence).toBe('high');
    expect(v.evidence.map((f) => f.file)).toEqual(expect.arrayContaining(['docker-inspect.json', 'docker-events.jsonl']));
    expect(v.factors.map((f) => f.code)).not.toContain('no_memory_limit');
  });

  test('docker stop -t 1 of a process ignoring SIGTERM: stop_timeout (kill 15, then kill 9)', async () => {
    const { explanation } = await explain(collected.stopped!.artifacts);
    expect(explanation.verdict.cause).toBe('stop_timeout');
    expect(explanation.verdict.confidence).toBe('high');
    expect(explanation.verdict.evidence.filter((f) => f.file === 'docker-events.jsonl')).toHaveLength(2);
  });

  test('docker stop -t 1 with dockerd’s own log: the escalation and its 1-second grace are cited', async () => {
    // dockerd 20.10 logs `Container failed to exit within 1s of signal 15 - using the force` with container=<id>.
    const log = readFileSync(d.logFile, 'utf8');
    const id = collected.stopped!.inspect.facts.containerId as string;
    expect(log).toMatch(new RegExp(`failed to exit within 1s of signal 15 - using the force" container=${id}`));
    const { explanation } = await explain([...collected.stopped!.artifacts, { name: 'dockerd.log', content: log }]);
    const v = explanation.verdict;
    expect(v.cause).toBe('stop_timeout');
    expect(v.evidence.find((f) => f.file === 'dockerd.log')?.claim).toBe('dockerd escalated the stop to SIGKILL after 1s');
    expect(v.summary).toContain('1-second grace period');
  });

  test('no memory limit: the factor no_memory_limit', async () => {
    const { explanation } = await explain(collected.unlimited!.artifacts);
    const v = explanation.verdict;
    expect(v.factors.map((f) => f.code)).toContain('no_memory_limit');
    expect(v.exitCode).toBe(137);
    // A SIGKILL from the host with no engine event, no OOM flag and no limit: nothing here says who sent it.
    expect(v.cause).toBe('unknown');
  });

  test('a named docker.hosts entry with a unix:// url reaches the same engine', async () => {
    const named = clientsFor(configSchema.parse({ docker: { hosts: { local: { url: `unix://${d.socket}` } } } }), {});
    const out = await dockerInspectSource.collect(ctx(named, { kind: 'docker', host: 'local', container: 'killed' }));
    expect(out.facts).toMatchObject({ name: 'killed', exitCode: 137, dockerHost: 'local' });
  });

  test('a container that does not exist: the engine’s 404, classified not_found', async () => {
    const err = await dockerInspectSource.collect(ctx(clients, { kind: 'docker', container: 'no-such-container' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 404 });
    expect((err as Error).message).toMatch(/No such container: no-such-container/);
    expect(classifyFault(err).fault).toBe('not_found');
  });

  test('an aborted signal stops the call: classified timeout', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await dockerInspectSource.collect(ctx(clients, { kind: 'docker', container: 'killed' }, {}, ac.signal)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(classifyFault(err).fault).toBe('timeout');
  });

  test('events without the inspect step: a one-line error naming the fix', async () => {
    await expect(dockerEventsSource.collect(ctx(clients, { kind: 'docker', container: 'killed' }))).rejects.toThrow(/needs the docker\.inspect step/);
  });
});

describe('Docker sources without an engine', () => {
  test('a socket path that does not exist: connect ENOENT, classified unreachable', async () => {
    const clients = clientsFor(configSchema.parse({}), { DOCKER_HOST: 'unix:///tmp/w137-no-such-dir/docker.sock' });
    const err = await dockerInspectSource.collect(ctx(clients, { kind: 'docker', container: 'web' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENOENT', syscall: 'connect' });
    expect((err as Error).message).toMatch(/connect ENOENT \/tmp\/w137-no-such-dir\/docker\.sock/);
    expect(classifyFault(err).fault).toBe('unreachable');
  });

  test('a docker host name the config does not define: a config error naming docker.hosts.NAME', async () => {
    const clients = clientsFor(configSchema.parse({}), {});
    await expect(dockerInspectSource.collect(ctx(clients, { kind: 'docker', host: 'build-1', container: 'web' }))).rejects.toThrow(/^docker host build-1 is not configured: add docker\.hosts\.build-1/);
  });
});
