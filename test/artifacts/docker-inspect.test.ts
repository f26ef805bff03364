import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dockerInspect } from '../../src/artifacts/docker-inspect.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'why137-docker-inspect-'));
const fixture = (name: string) => fixturePath('docker', name);
const recorded = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as Record<string, unknown>[];
const MiB = 1024 * 1024;

interface Row {
  fixture: string;
  state: { exitCode: number; oomKilled: boolean; status: string };
  limit: number | null;
  reservation?: number;
  swap?: number;
  subject?: Record<string, unknown>;
  command: string[];
  runtime?: Record<string, unknown>;
}

// Recorded from a real dockerd (scripts/record-docker-fixtures.sh); ids are read from the fixture itself.
const rows: Row[] = [
  { fixture: 'inspect-oom-killed-cgroupv1.json', state: { exitCode: 137, oomKilled: true, status: 'exited' }, limit: 32 * MiB, swap: 32 * MiB,
    subject: { containerName: 'why137-oom' }, command: ['sh', '-c', 'x=a; while true; do x=$x$x; done'] },
  // The gotcha: a child was OOM-killed, the main process exited 3 on its own. Still an OOM.
  { fixture: 'inspect-child-oom-exit3-cgroupv1.json', state: { exitCode: 3, oomKilled: true, status: 'exited' }, limit: 32 * MiB, swap: 32 * MiB,
    subject: { containerName: 'why137-child-oom' }, command: ['sh', '-c', 'sh -c "x=a; while true; do x=\\$x\\$x; done"; exit 3'] },
  { fixture: 'inspect-docker-kill-with-limit.json', state: { exitCode: 137, oomKilled: false, status: 'exited' }, limit: 64 * MiB, swap: 128 * MiB,
    subject: { containerName: 'why137-kill' }, command: ['sleep', '600'] },
  { fixture: 'inspect-stop-timeout-sigkill.json', state: { exitCode: 137, oomKilled: false, status: 'exited' }, limit: 64 * MiB, swap: 128 * MiB,
    subject: { containerName: 'why137-stop-timeout' }, command: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'] },
  { fixture: 'inspect-no-memory-limit-killed.json', state: { exitCode: 137, oomKilled: false, status: 'exited' }, limit: null,
    subject: { containerName: 'why137-no-limit' }, command: ['sleep', '600'] },
  { fixture: 'inspect-graceful-stop-exit143.json', state: { exitCode: 143, oomKilled: false, status: 'exited' }, limit: 64 * MiB, swap: 128 * MiB,
    subject: { containerName: 'why137-graceful' }, command: ['sh', '-c', 'trap "exit 143" TERM; while true; do sleep 1 & wait $!; done'] },
  // dockershim-style labels: the pod identity and the Kubernetes container name win over the generated Docker name.
  { fixture: 'inspect-kubernetes-labels-oom-killed-cgroupv1.json', state: { exitCode: 137, oomKilled: true, status: 'exited' }, limit: 32 * MiB, swap: 32 * MiB,
    subject: { containerName: 'app', podUid: '5f1d7c2e-8a4b-4c1e-9f3a-2b6d8e0c4a71', pod: 'web-7d4b9c6f5-x2x9q', namespace: 'shop' },
    command: ['sh', '-c', 'x=a; while true; do x=$x$x; done'],
    runtime: { runtime: 'jvm', jvmXmxBytes: 64 * MiB, envNames: ['JAVA_TOOL_OPTIONS', 'DB_PASSWORD'] } },
  // ECS-agent labels, only a soft limit (memoryReservation).
  { fixture: 'inspect-ecs-labels-soft-limit-killed.json', state: { exitCode: 137, oomKilled: false, status: 'exited' }, limit: null, reservation: 64 * MiB,
    subject: { containerName: 'app', taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3c1a9b8d7e4c2a9b1e6d5f4a3c2b1a', taskId: '0f3c1a9b8d7e4c2a9b1e6d5f4a3c2b1a', cluster: 'prod' },
    command: ['sh', '-c', 'sleep 600'],
    runtime: { runtime: 'node', nodeMaxOldSpaceMb: 2048, envNames: ['NODE_OPTIONS', 'API_TOKEN'] } },
];

function check(row: Row, evidence: Evidence[], file: string): void {
  const doc = recorded(row.fixture)[0]!;
  const id = doc.Id as string;
  const state = doc.State as Record<string, unknown>;
  const subject = { platform: 'docker', containerId: id, ...row.subject };
  expect(evidence.map((e) => e.kind)).toEqual(['container.state', 'limits', 'runtime']);
  const [s] = ofKind(evidence, 'container.state');
  expect(s).toMatchObject({ ...row.state, startedAt: state.StartedAt, finishedAt: state.FinishedAt, restartCount: 0, image: 'why137-busybox:latest', subject });
  expect(s!.cite).toEqual({ file, at: '[0].State', excerpt: `Status exited, ExitCode ${row.state.exitCode}, OOMKilled ${row.state.oomKilled}` });
  expect(s!.message).toBeUndefined(); // State.Error is "" for all of these
  expect(s!.subject.pid).toBeUndefined(); // State.Pid is 0 once exited
  const [l] = ofKind(evidence, 'limits');
  expect(l).toMatchObject({ scope: 'container', memoryLimitBytes: row.limit, subject });
  expect(l!.memoryReservationBytes).toBe(row.reservation);
  expect(l!.memorySwapBytes).toBe(row.swap);
  expect(l!.cite.at).toBe('[0].HostConfig.Memory');
  const [r] = ofKind(evidence, 'runtime');
  expect(r).toMatchObject({ image: 'why137-busybox:latest', command: row.command, subject });
  if (row.runtime) expect(r!.settings).toMatchObject(row.runtime);
  // Env values (the fixtures hold a fake password and token) never reach evidence.
  expect(JSON.stringify(evidence)).not.toMatch(/hunter2|tok-fixture-secret/);
}

describe('dockerInspect over recorded `docker inspect` output', () => {
  test.each(rows)('$fixture through readArtifact', async (row) => {
    const file = fixture(row.fixture);
    const result = await readArtifact(file);
    expect(result.kind).toBe('docker.inspect');
    check(row, result.evidence, file);
  });

  test.each(rows)('$fixture through the parser', (row) => {
    const doc: unknown = JSON.parse(readFileSync(fixture(row.fixture), 'utf8'));
    expect(dockerInspect.detect(doc)).toBe(true);
    check(row, dockerInspect.parse(doc, 'inspect.json'), 'inspect.json');
  });

  test('the engine API form (one object, GET /containers/{id}/json) cites paths without an index', () => {
    const doc = recorded('inspect-oom-killed-cgroupv1.json')[0]!;
    expect(dockerInspect.detect(doc)).toBe(true);
    const evidence = dockerInspect.parse(doc, 'source:docker');
    expect(evidence.map((e) => e.cite.at)).toEqual(['State', 'HostConfig.Memory', 'Config']);
    expect(ofKind(evidence, 'container.state')[0]).toMatchObject({ exitCode: 137, oomKilled: true });
  });

  test('several containers: one set of evidence each, cited by index', () => {
    const doc = [...recorded('inspect-oom-killed-cgroupv1.json'), ...recorded('inspect-graceful-stop-exit143.json')];
    const evidence = dockerInspect.parse(doc, 'both.json');
    expect(ofKind(evidence, 'container.state').map((e) => [e.cite.at, e.exitCode])).toEqual([['[0].State', 137], ['[1].State', 143]]);
  });

  test('a running container: its PID, an engine error message, a restart count, CPUs', () => {
    const doc = structuredClone(recorded('inspect-docker-kill-with-limit.json')[0]!) as Record<string, any>;
    Object.assign(doc.State, { Status: 'running', Running: true, Pid: 4242, ExitCode: 0, Error: 'OCI runtime exec failed', FinishedAt: '0001-01-01T00:00:00Z' });
    doc.RestartCount = 5;
    doc.HostConfig.NanoCpus = 500_000_000;
    const [s, l] = dockerInspect.parse([doc], 'x.json');
    expect(s).toMatchObject({ kind: 'container.state', status: 'running', exitCode: 0, restartCount: 5, message: 'OCI runtime exec failed', subject: { pid: 4242 } });
    expect((s as { finishedAt?: string }).finishedAt).toBeUndefined();
    expect(l).toMatchObject({ kind: 'limits', cpu: '0.5' });
  });

  test('secrets in the command line are redacted, the shape is kept', () => {
    const doc = structuredClone(recorded('inspect-docker-kill-with-limit.json')[0]!) as Record<string, any>;
    doc.Config.Entrypoint = ['/app/server'];
    doc.Config.Env = ['DATABASE_URL=postgres://app:s3cr3t-pw3@db:5432/app'];
    doc.Config.Cmd = ['--db-password', 'pw1', '--api-token=tk2', 'sh', '-c', 'migrate --url postgres://app:s3cr3t-pw3@db:5432/app', '--max-old-space-size=512'];
    const [, , r] = dockerInspect.parse([doc], 'x.json');
    expect(r).toMatchObject({ command: ['/app/server', '--db-password', '***', '--api-token=***', 'sh', '-c', 'migrate --url ***', '--max-old-space-size=512'],
      settings: { envNames: ['DATABASE_URL'] } });
    expect(JSON.stringify(r)).not.toMatch(/pw1|tk2|pw3/);
  });

  test('detect is specific: images, ECS tasks, pods and events are not containers', () => {
    const image = { Id: 'sha256:3c16', RepoTags: ['busybox:latest'], Config: { Cmd: ['sh'] }, RootFS: { Type: 'layers' } };
    expect(dockerInspect.detect(image)).toBe(false);
    expect(dockerInspect.detect([image])).toBe(false);
    expect(dockerInspect.detect({ tasks: [{ taskArn: 'arn:aws:ecs:...' }] })).toBe(false);
    expect(dockerInspect.detect({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toBe(false);
    expect(dockerInspect.detect({ status: 'die', id: 'abc', Type: 'container', Action: 'die', Actor: { ID: 'abc' } })).toBe(false);
    expect(dockerInspect.detect([])).toBe(false);
    expect(dockerInspect.detect('docker')).toBe(false);
  });
});

const failure = (name: string, content: string | Buffer): Promise<Why137Error> => artifactFailure(tmp, name, content);

describe('docker inspect input that cannot be read: a Why137Error with one line naming the file', () => {
  const text = readFileSync(fixture('inspect-oom-killed-cgroupv1.json'), 'utf8');

  test('truncated (a paste cut in half)', async () => {
    expect((await failure('truncated.json', text.slice(0, text.length / 2))).code).toBe('why137_artifact_malformed');
  });

  test('malformed (a lost colon)', async () => {
    expect((await failure('malformed.json', text.replace('"ExitCode": ', '"ExitCode" '))).code).toBe('why137_artifact_malformed');
  });

  test('a container without State is recognised but invalid', async () => {
    const doc = recorded('inspect-oom-killed-cgroupv1.json');
    delete doc[0]!.State;
    const e = await failure('no-state.json', JSON.stringify(doc));
    expect(e.code).toBe('why137_artifact_invalid');
    expect(e.message).toContain('[0].State is missing');
    expect(e.message).toContain('expected `docker inspect` output');
  });

  test('empty and binary', async () => {
    expect((await failure('empty.json', '')).code).toBe('why137_artifact_empty');
    expect((await failure('binary.json', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]))).code).toBe('why137_artifact_binary');
  });
});
