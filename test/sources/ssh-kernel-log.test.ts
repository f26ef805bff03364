import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createDockerClient } from '../../src/clients/docker.js';
import { createSshExecutor } from '../../src/clients/ssh.js';
import type { Clients, SshExecutor } from '../../src/clients/clients.js';
import { RemoteAccessError } from '../../src/clients/remote-access-error.js';
import { configSchema, type Config } from '../../src/config/config-schema.js';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { sshKernelLogSource } from '../../src/sources/ssh-kernel-log.js';
import type { CollectContext, StepOutput } from '../../src/sources/source.js';
import type { Target } from '../../src/targets/target.js';
import type { LogCoverageEvidence } from '../../src/diagnosis/evidence.js';
import { describeWithComponents } from '../helpers/component.js';
import { startSshd, type Sshd, type SshUser } from '../helpers/sshd.js';

const env: NodeJS.ProcessEnv = { HOME: '/nonexistent-home' };
const DMESG_RESTRICT = '/proc/sys/kernel/dmesg_restrict';
const STAMP = /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) +(\d{1,2}) (\d\d:\d\d:\d\d) (\d{4})\]/;
const MINUTE = 60_000;

type Params = { maxOutputBytes?: number };

function clientsFor(config: Config, ssh?: (name: string) => SshExecutor): Clients {
  const unused = (what: string) => (): never => { throw new Error(`${what} is not used here`); };
  return {
    kubernetes: unused('kubernetes'), ecs: unused('ecs'), logs: unused('logs'), lambda: unused('lambda'),
    docker: (host) => createDockerClient(host, config, env),
    ssh: ssh ?? ((name) => createSshExecutor(name, config, env)),
  };
}

function ctx(clients: Clients, target: Target, window: { since: Date; until: Date }, params: Params = {}, needs: Record<string, StepOutput> = {}): CollectContext<Params> {
  return { target, params, needs, clients, signal: new AbortController().signal, window };
}

function configFor(d: Sshd, user: SshUser): Config {
  return configSchema.parse({ ssh: { hosts: [{ match: 'node-*', host: d.host, port: d.port, user: user.name, privateKeyFile: user.privateKeyFile, knownHosts: d.knownHosts }] } });
}

function around(now: number): { since: Date; until: Date } {
  return { since: new Date(now - 30 * MINUTE), until: new Date(now + 5 * MINUTE) };
}

function stampMs(line: string): number | undefined {
  const m = STAMP.exec(line);
  return m ? Date.parse(`${m[1]} ${m[2]} ${m[4]} ${m[3]} UTC`) : undefined;
}

describeWithComponents('sshKernelLogSource over a real sshd', ['sshd', 'ssh-keygen', 'dmesg'], () => {
  let d: Sshd;
  const marker = `why137-test kernel-log marker ${randomUUID()}`;
  beforeAll(async () => {
    d = await startSshd();
    // A line of our own in the ring buffer, so the window is never empty (root may write /dev/kmsg).
    writeFileSync('/dev/kmsg', `${marker}\n`);
  }, 30_000);
  afterAll(async () => { await d?.stop(); });

  test('as root: dmesg -T, limited to the incident window, read by the kernel log parser', async () => {
    const now = Date.now();
    const window = around(now);
    const out = await sshKernelLogSource.collect(ctx(clientsFor(configFor(d, d.root)), { kind: 'host', name: 'node-a' }, window));
    expect(out.facts).toMatchObject({ host: 'node-a', command: 'dmesg -T', truncated: false });
    expect(out.artifacts.map((a) => a.name)).toEqual(['dmesg.txt']);
    const text = out.artifacts[0]!.content;
    const lines = text.trimEnd().split('\n');
    expect(lines.find((l) => l.endsWith(marker))).toMatch(STAMP);
    expect(out.facts.lines).toBe(lines.length);
    // Every stamped line but the first (the anchor before the window) is inside the window, with 5 minutes' slack.
    const times = lines.map(stampMs).filter((t): t is number => t !== undefined);
    for (const t of times.slice(1)) {
      expect(t).toBeGreaterThanOrEqual(window.since.getTime() - 5 * MINUTE);
      expect(t).toBeLessThanOrEqual(window.until.getTime() + 5 * MINUTE);
    }
    const parsed = await readArtifactContent('dmesg.txt', text);
    expect(parsed.kind).toBe('kernel.log');
    const coverage = parsed.evidence.find((e): e is LogCoverageEvidence => e.kind === 'log.coverage');
    expect(coverage?.lines).toBe(lines.length);
    expect(Date.parse(`${coverage!.lastTime!}Z`)).toBeGreaterThanOrEqual(now - 2 * MINUTE);
  });

  test('a window after the last line keeps only that line: the log is seen to reach the window', async () => {
    const now = Date.now();
    const out = await sshKernelLogSource.collect(ctx(clientsFor(configFor(d, d.root)), { kind: 'host', name: 'node-a' }, { since: new Date(now + 60 * MINUTE), until: new Date(now + 90 * MINUTE) }));
    expect(out.facts.lines).toBe(1);
    expect(out.artifacts[0]!.content.split('\n')).toHaveLength(2);
  });

  test('a window before the first line yields no artifact and lines 0', async () => {
    const out = await sshKernelLogSource.collect(ctx(clientsFor(configFor(d, d.root)), { kind: 'host', name: 'node-a' }, { since: new Date('2001-01-01T00:00:00Z'), until: new Date('2001-01-01T01:00:00Z') }));
    expect(out.artifacts).toEqual([]);
    expect(out.facts).toMatchObject({ lines: 0, command: 'dmesg -T' });
  });

  test('the node comes from the pod step’s nodeName for a Kubernetes target', async () => {
    const needs: Record<string, StepOutput> = { pod: { artifacts: [], facts: { pod: 'api-0', namespace: 'prod', nodeName: 'node-b' }, calls: 1 } };
    const out = await sshKernelLogSource.collect(ctx(clientsFor(configFor(d, d.root)), { kind: 'k8s', namespace: 'prod', pod: 'api-0' }, around(Date.now()), {}, needs));
    expect(out.facts.host).toBe('node-b');
    expect(out.artifacts[0]!.content).toContain(marker);
  });

  test('output is capped at maxOutputBytes and cut back to whole lines', async () => {
    const out = await sshKernelLogSource.collect(ctx(clientsFor(configFor(d, d.root)), { kind: 'host', name: 'node-a' }, { since: new Date(0), until: new Date(Date.now() + MINUTE) }, { maxOutputBytes: 2048 }));
    expect(out.facts.truncated).toBe(true);
    const text = out.artifacts[0]!.content;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(STAMP);
  });

  test('as an unprivileged user under kernel.dmesg_restrict=1: denied, "Operation not permitted"', async () => {
    const before = readFileSync(DMESG_RESTRICT, 'utf8').trim();
    if (before !== '1') writeFileSync(DMESG_RESTRICT, '1');
    try {
      const err = await sshKernelLogSource.collect(ctx(clientsFor(configFor(d, d.user)), { kind: 'host', name: 'node-c' }, around(Date.now()))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteAccessError);
      expect(err).toMatchObject({ fault: 'denied', code: 'EACCES' });
      expect((err as Error).message).toMatch(/^node-c: dmesg: read kernel buffer failed: Operation not permitted \(kernel\.dmesg_restrict=1/);
      expect((err as Error).message).not.toContain('\n');
      expect(classifyFault(err).fault).toBe('denied');
    } finally {
      if (before !== '1') writeFileSync(DMESG_RESTRICT, before);
    }
  });
});

/** An executor that answers fixed commands, for the journalctl fallback a host without journald cannot show. */
function scripted(answers: Record<string, { stdout?: string; stderr?: string; code: number | null }>, seen: string[]): SshExecutor {
  return {
    async exec(command) {
      seen.push(command);
      const key = Object.keys(answers).find((k) => command.includes(k));
      const a = key ? answers[key]! : { code: 127, stderr: 'sh: 1: not found' };
      return { stdout: a.stdout ?? '', stderr: a.stderr ?? '', code: a.code, truncated: false };
    },
  };
}

describe('sshKernelLogSource fallbacks (scripted executor)', () => {
  const config = configSchema.parse({});
  const window = { since: new Date('2026-11-23T13:08:09.123Z'), until: new Date('2026-11-23T13:43:09Z') };
  // `journalctl -k -o short-iso` as systemd 252 prints it, with its own remarks around the lines.
  const JOURNAL = [
    '-- Boot 5c1e0d1f2a3b4c5d6e7f8091a2b3c4d5 --',
    '2026-11-23T13:38:55+0000 ip-10-0-1-5 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=342ac295b91e294d36cf7a232f63b7a91970545a5ae788d7a2da3949c9e645f2,mems_allowed=0,oom_memcg=/docker/342ac295b91e294d36cf7a232f63b7a91970545a5ae788d7a2da3949c9e645f2,task_memcg=/docker/342ac295b91e294d36cf7a232f63b7a91970545a5ae788d7a2da3949c9e645f2,task=sh,pid=10193,uid=0',
    '2026-11-23T13:38:55+0000 ip-10-0-1-5 kernel: Memory cgroup out of memory: Killed process 10193 (sh) total-vm:51428kB, anon-rss:32388kB, file-rss:1456kB, shmem-rss:0kB, UID:0 pgtables:112kB oom_score_adj:0',
    '',
  ].join('\n');

  test('dmesg missing: journalctl -k from the window start, a fixed command with UTC times built from Dates', async () => {
    const seen: string[] = [];
    const clients = clientsFor(config, () => scripted({ journalctl: { stdout: JOURNAL, code: 0 } }, seen));
    const out = await sshKernelLogSource.collect(ctx(clients, { kind: 'host', name: 'ip-10-0-1-5' }, window));
    expect(seen).toEqual([
      'env LC_ALL=C TZ=UTC dmesg -T',
      'env LC_ALL=C TZ=UTC journalctl -k --no-pager -o short-iso --since "2026-11-23 13:08:09 UTC" --until "2026-11-23 13:43:09 UTC"',
    ]);
    expect(out.artifacts.map((a) => a.name)).toEqual(['journalctl-k.txt']);
    expect(out.artifacts[0]!.content).not.toContain('-- Boot');
    expect(out.facts).toMatchObject({ host: 'ip-10-0-1-5', command: 'journalctl -k', lines: 2 });
    const parsed = await readArtifactContent('journalctl-k.txt', out.artifacts[0]!.content);
    expect(parsed.evidence.filter((e) => e.kind === 'kernel.oom')).toHaveLength(1);
  });

  test('dmesg denied and the journal unreadable: denied', async () => {
    const clients = clientsFor(config, () => scripted({
      dmesg: { stderr: 'dmesg: read kernel buffer failed: Operation not permitted\n', code: 1 },
      journalctl: { stdout: '-- No entries --\n', stderr: 'Hint: You are currently not seeing messages from other users and the system.\n', code: 0 },
    }, []));
    const err = await sshKernelLogSource.collect(ctx(clients, { kind: 'host', name: 'ip-10-0-1-5' }, window)).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/Operation not permitted.*journalctl -k shows nothing \(Hint: You are currently not seeing messages/);
    expect(classifyFault(err).fault).toBe('denied');
  });

  test('an ECS task on EC2: the host is the container instance step’s ec2InstanceId', async () => {
    const asked: string[] = [];
    const clients = clientsFor(config, (name) => { asked.push(name); return scripted({ dmesg: { stdout: '[Mon Nov 23 13:38:55 2026] why137 line\n', code: 0 } }, []); });
    const needs: Record<string, StepOutput> = {
      tasks: { artifacts: [], facts: { launchType: 'EC2', containerInstanceArn: 'arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/abc' }, calls: 1 },
      instance: { artifacts: [], facts: { ec2InstanceId: 'i-0abc123def4567890' }, calls: 1 },
    };
    const out = await sshKernelLogSource.collect(ctx(clients, { kind: 'ecs', cluster: 'prod', task: 'abc' }, window, {}, needs));
    expect(asked).toEqual(['i-0abc123def4567890']);
    expect(out.facts).toMatchObject({ host: 'i-0abc123def4567890', lines: 1 });
  });

  test('a Fargate task: the container instance step’s skip reason says why there is no host', async () => {
    const clients = clientsFor(config, () => scripted({}, []));
    const needs: Record<string, StepOutput> = { instance: { artifacts: [], facts: { skipped: 'Fargate task: AWS runs the host' }, calls: 0 } };
    await expect(sshKernelLogSource.collect(ctx(clients, { kind: 'ecs', cluster: 'prod', task: 'abc' }, window, {}, needs))).rejects.toThrow('no host to read the kernel log of for this ecs target: Fargate task: AWS runs the host');
  });

  test('no host for a docker target on the local engine: a one-line target error', async () => {
    const clients = clientsFor(config, () => scripted({}, []));
    await expect(sshKernelLogSource.collect(ctx(clients, { kind: 'docker', container: 'web' }, window))).rejects.toThrow(/^no host to read the kernel log of for this docker target: .*docker\.hosts/);
  });
});
