import { createDockerClient } from '../../../src/clients/docker.js';
import type { Clients } from '../../../src/clients/clients.js';
import { configSchema } from '../../../src/config/config-schema.js';
import { readArtifactContent } from '../../../src/artifacts/read-artifact.js';
import { diagnose } from '../../../src/diagnosis/diagnose.js';
import type { Edit } from '../../../src/remediation/edit.js';
import { dockerExecutor } from '../../../src/remediation/execute/docker.js';
import type { ExecuteContext } from '../../../src/remediation/execute/executor.js';
import { plan } from '../../../src/remediation/plan.js';
import { dockerInspectSource } from '../../../src/sources/docker-inspect.js';
import { Why137Error } from '../../../src/errors/why137-error.js';
import { describeWithComponents } from '../../helpers/component.js';
import { startDockerd, type Dockerd } from '../../helpers/dockerd.js';

type DockerEdit = Extract<Edit, { platform: 'docker' }>;
const MiB = 1024 * 1024;
// Doubles a shell string until the 32 MiB limit is hit (busybox sh, no other tools needed).
const EAT_MEMORY = 'x=0123456789abcdef; while :; do x=$x$x; done';

async function errorOf(p: Promise<unknown>): Promise<Why137Error> {
  try { await p; } catch (err) { if (err instanceof Why137Error) return err; throw err; }
  throw new Error('expected a Why137Error, nothing was thrown');
}

describeWithComponents('dockerExecutor on a real dockerd', ['dockerd', 'docker', 'busybox'], () => {
  let d: Dockerd;
  let ctx: ExecuteContext;

  const docker = async (args: string[]): Promise<string> => {
    const r = await d.docker(args);
    if (r.code !== 0 && args[0] !== 'wait') throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  };
  /** Memory and MemorySwap as `docker inspect` prints them. */
  const limits = async (name: string): Promise<[number, number]> => {
    const [m, s] = (await docker(['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}', name])).split(' ');
    return [Number(m), Number(s)];
  };

  beforeAll(async () => {
    d = await startDockerd();
    const env = { DOCKER_HOST: `unix://${d.socket}` };
    const config = configSchema.parse({});
    const unused = (what: string) => (): never => { throw new Error(`${what} is not used here`); };
    const clients: Clients = {
      kubernetes: unused('kubernetes'), ecs: unused('ecs'), logs: unused('logs'), lambda: unused('lambda'), ssh: unused('ssh'),
      docker: (host) => createDockerClient(host, config, env),
    };
    ctx = { clients, signal: new AbortController().signal };
  }, 120_000);
  afterAll(async () => { await d?.stop(); }, 60_000);

  test('an OOM-killed container: the planner\'s edit from a real verdict, applied (inspect shows it), then rolled back', async () => {
    await docker(['run', '-d', '--name', 'oom', '--memory=32m', '--memory-swap=32m', d.image, 'sh', '-c', EAT_MEMORY]);
    await docker(['wait', 'oom']);
    const inspected = await dockerInspectSource.collect({
      target: { kind: 'docker', container: 'oom' }, params: {}, needs: {}, clients: ctx.clients, signal: ctx.signal,
      window: { since: new Date(Date.now() - 600_000), until: new Date(Date.now() + 60_000) },
    });
    const { evidence } = await readArtifactContent('docker-inspect.json', inspected.artifacts[0]!.content);
    const verdict = diagnose(evidence);
    expect(verdict.cause).toBe('cgroup_oom');
    const proposal = plan(verdict, evidence).find((p) => p.action === 'raise_memory_limit')!;
    expect(proposal.executable).toBe(true);
    const edit = proposal.edit as DockerEdit;
    const id = String(inspected.facts.containerId);
    expect(edit).toEqual({ platform: 'docker', container: id, memoryBytes: 48 * MiB, memorySwapBytes: 48 * MiB });

    const snap = await dockerExecutor.snapshot(edit, ctx);
    expect(snap.state).toEqual({ container: id, id, memoryBytes: 32 * MiB, memorySwapBytes: 32 * MiB });
    const done = await dockerExecutor.apply(edit, snap, ctx);
    expect(await limits('oom')).toEqual([48 * MiB, 48 * MiB]);
    expect(done.detail).toBe(`container ${id}: Memory 32m → 48m, MemorySwap 32m → 48m (in effect now, until the container is recreated)`);

    const back = await dockerExecutor.rollback(edit, done, ctx);
    expect(await limits('oom')).toEqual([32 * MiB, 32 * MiB]);
    expect(back.after).toMatchObject({ memoryBytes: 32 * MiB, memorySwapBytes: 32 * MiB });
  });

  test('a running container: the new limit is in its cgroup at once, no restart; a revised value applies the same way', async () => {
    await docker(['run', '-d', '--name', 'live', '--memory=32m', '--memory-swap=32m', d.image, 'sleep', '300']);
    const started = await docker(['inspect', '-f', '{{.State.StartedAt}}', 'live']);
    const edit = dockerExecutor.revise({ platform: 'docker', container: 'live', memoryBytes: 48 * MiB, memorySwapBytes: 48 * MiB }, '64m');
    await dockerExecutor.apply(edit, await dockerExecutor.snapshot(edit, ctx), ctx);
    expect(await limits('live')).toEqual([64 * MiB, 64 * MiB]);
    // cgroup v1 memory.limit_in_bytes, or cgroup v2 memory.max
    const inCgroup = await docker(['exec', 'live', 'sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max']);
    expect(Number(inCgroup)).toBe(64 * MiB);
    expect(await docker(['inspect', '-f', '{{.State.StartedAt}}', 'live'])).toBe(started);
  });

  test('the limits changed by other means between snapshot and apply: why137_target_changed, nothing written', async () => {
    await docker(['run', '-d', '--name', 'moved', '--memory=32m', '--memory-swap=32m', d.image, 'sleep', '300']);
    const edit: DockerEdit = { platform: 'docker', container: 'moved', memoryBytes: 48 * MiB, memorySwapBytes: 48 * MiB };
    const snap = await dockerExecutor.snapshot(edit, ctx);
    await docker(['update', '--memory', '40m', '--memory-swap', '40m', 'moved']);
    const err = await errorOf(dockerExecutor.apply(edit, snap, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect(err.message).toBe('container moved: Memory, MemorySwap changed since the proposal was made; nothing was changed, diagnose it again');
    expect(await limits('moved')).toEqual([40 * MiB, 40 * MiB]);
  });

  test('a recreated container (same name, new id) is a changed target', async () => {
    await docker(['run', '-d', '--name', 'again', '--memory=32m', '--memory-swap=32m', d.image, 'sleep', '300']);
    const edit: DockerEdit = { platform: 'docker', container: 'again', memoryBytes: 48 * MiB, memorySwapBytes: 48 * MiB };
    const snap = await dockerExecutor.snapshot(edit, ctx);
    await docker(['rm', '-f', 'again']);
    await docker(['run', '-d', '--name', 'again', '--memory=32m', '--memory-swap=32m', d.image, 'sleep', '300']);
    expect((await errorOf(dockerExecutor.apply(edit, snap, ctx))).message).toContain('the container (recreated)');
    expect(await limits('again')).toEqual([32 * MiB, 32 * MiB]);
  });

  test('no limit before: applied, but rollback says it cannot remove a limit (the engine keeps it for 0 and refuses -1)', async () => {
    await docker(['run', '-d', '--name', 'unlimited', d.image, 'sleep', '300']);
    const edit: DockerEdit = { platform: 'docker', container: 'unlimited', memoryBytes: 64 * MiB, memorySwapBytes: 64 * MiB };
    const done = await dockerExecutor.apply(edit, await dockerExecutor.snapshot(edit, ctx), ctx);
    expect(done.before).toMatchObject({ memoryBytes: 0, memorySwapBytes: 0 });
    expect(await limits('unlimited')).toEqual([64 * MiB, 64 * MiB]);
    expect((await errorOf(dockerExecutor.rollback(edit, done, ctx))).code).toBe('why137_rollback_unsupported');
    expect(await limits('unlimited')).toEqual([64 * MiB, 64 * MiB]);
  });

  test('a limit the engine refuses (below 6 MB) is why137_invalid_value; a gone container is a changed target', async () => {
    await docker(['run', '-d', '--name', 'tiny', '--memory=32m', '--memory-swap=32m', d.image, 'sleep', '300']);
    const edit: DockerEdit = { platform: 'docker', container: 'tiny', memoryBytes: 4 * MiB, memorySwapBytes: 4 * MiB };
    const err = await errorOf(dockerExecutor.apply(edit, await dockerExecutor.snapshot(edit, ctx), ctx));
    expect(err.code).toBe('why137_invalid_value');
    expect(err.message).toContain('Minimum memory limit allowed is 6MB');
    expect((await errorOf(dockerExecutor.snapshot({ ...edit, container: 'no-such-container' }, ctx))).code).toBe('why137_target_changed');
  });
});
