import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { dockerEvents } from '../../src/artifacts/docker-events.js';
import { kernelLog } from '../../src/artifacts/kernel-log.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import type { DockerEventEvidence, Evidence } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'why137-docker-events-'));
const fixture = (name: string) => fixturePath('docker', name);
const lines = (file: string) => createInterface({ input: createReadStream(file), crlfDelay: Infinity });
/** The container's id as the recorded inspect of the same scenario has it. */
const idOf = (inspect: string) => (JSON.parse(readFileSync(fixture(inspect), 'utf8')) as { Id: string }[])[0]!.Id;

interface Row { stem: string; inspect: string; name: string; events: [string, { signal?: number; exitCode?: number }?][] }

// Recorded from a real dockerd (scripts/record-docker-fixtures.sh). `attach` (docker run in the foreground) is left out.
const rows: Row[] = [
  { stem: 'events-oom-killed', inspect: 'inspect-oom-killed-cgroupv1.json', name: 'why137-oom',
    events: [['create'], ['start'], ['oom'], ['die', { exitCode: 137 }]] },
  { stem: 'events-child-oom-exit3', inspect: 'inspect-child-oom-exit3-cgroupv1.json', name: 'why137-child-oom',
    events: [['create'], ['start'], ['oom'], ['die', { exitCode: 3 }]] },
  { stem: 'events-docker-kill', inspect: 'inspect-docker-kill-with-limit.json', name: 'why137-kill',
    events: [['create'], ['start'], ['kill', { signal: 9 }], ['die', { exitCode: 137 }]] },
  // docker stop -t 1 on a process ignoring SIGTERM: 15, one second, then 9.
  { stem: 'events-stop-timeout', inspect: 'inspect-stop-timeout-sigkill.json', name: 'why137-stop-timeout',
    events: [['create'], ['start'], ['kill', { signal: 15 }], ['kill', { signal: 9 }], ['die', { exitCode: 137 }], ['stop']] },
  { stem: 'events-no-memory-limit-killed', inspect: 'inspect-no-memory-limit-killed.json', name: 'why137-no-limit',
    events: [['create'], ['start'], ['kill', { signal: 9 }], ['die', { exitCode: 137 }]] },
  { stem: 'events-graceful-stop-exit143', inspect: 'inspect-graceful-stop-exit143.json', name: 'why137-graceful',
    events: [['create'], ['start'], ['kill', { signal: 15 }], ['die', { exitCode: 143 }], ['stop']] },
];
const cases = rows.flatMap((r) => ['txt', 'jsonl'].map((ext) => ({ ...r, file: `${r.stem}.${ext}` })));

function check(row: Row, evidence: Evidence[], file: string): void {
  const id = idOf(row.inspect);
  expect(evidence.every((e) => e.kind === 'docker.event')).toBe(true);
  const events = evidence as DockerEventEvidence[];
  expect(events.map((e) => [e.action, ...(e.signal !== undefined || e.exitCode !== undefined ? [{ ...(e.signal !== undefined && { signal: e.signal }), ...(e.exitCode !== undefined && { exitCode: e.exitCode }) }] : [])]))
    .toEqual(row.events);
  for (const e of events) {
    expect(e.subject).toEqual({ platform: 'docker', containerId: id, containerName: row.name });
    expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(e.cite.file).toBe(file);
    expect(e.cite.at).toMatch(/^line \d+$/);
  }
  const die = events.find((e) => e.action === 'die')!;
  expect(die.cite.excerpt).toBe(`container die ${id.slice(0, 12)} (name=${row.name}, exitCode=${row.events.find(([a]) => a === 'die')![1]!.exitCode})`);
}

describe('dockerEvents over recorded `docker events` output (text and --format json)', () => {
  test.each(cases)('$file through readArtifact', async (row) => {
    const file = fixture(row.file);
    const result = await readArtifact(file);
    expect(result.kind).toBe('docker.events');
    check(row, result.evidence, file);
  });

  test.each(cases)('$file through the parser', async (row) => {
    const file = fixture(row.file);
    expect(dockerEvents.detect(readFileSync(file, 'utf8'))).toBe(true);
    check(row, await dockerEvents.parse(lines(file), file), file);
  });

  test.each(rows)('$stem: the text and JSON forms give the same events, to the nanosecond', async (row) => {
    const text = await dockerEvents.parse(lines(fixture(`${row.stem}.txt`)), 'x');
    const json = await dockerEvents.parse(lines(fixture(`${row.stem}.jsonl`)), 'x');
    const strip = (e: Evidence[]) => e.map(({ cite, ...rest }) => ({ ...rest, excerpt: cite.excerpt }));
    expect(strip(json)).toEqual(strip(text));
  });

  test('labels in the attributes carry pod and task identity; a local-time line becomes UTC', async () => {
    const id = 'c06e7b93869757073eac4a0b03e20c8e7e0024925bd4a59394510300260dedbf';
    const input = [
      `2026-11-23T15:38:49.416110480+02:00 container kill ${id} (image=app:1, io.kubernetes.container.name=app, io.kubernetes.pod.name=web-0, io.kubernetes.pod.namespace=shop, io.kubernetes.pod.uid=5f1d7c2e-8a4b-4c1e-9f3a-2b6d8e0c4a71, name=k8s_app_web-0_shop_5f1d7c2e_0, note=a, b=c, signal=9)`,
      `2026-11-23T13:38:49.5Z container health_status: unhealthy ${id} (com.amazonaws.ecs.cluster=arn:aws:ecs:eu-west-1:123456789012:cluster/prod, com.amazonaws.ecs.container-name=web, com.amazonaws.ecs.task-arn=arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3c1a9b, image=app:1, name=ecs-web-1)`,
      `2026-11-23T13:38:50.000000000Z container exec_start: sh -c curl -f localhost ${id} (image=app:1, name=web)`,
      `2026-11-23T13:38:50.000000000Z network disconnect 5f1e2d3c4b5a (container=${id}, name=bridge, type=bridge)`,
      '',
    ];
    async function* gen() { yield* input; }
    const [kill, health, ...rest] = await dockerEvents.parse(gen(), 'events.txt') as DockerEventEvidence[];
    expect(rest).toEqual([]);
    expect(kill).toMatchObject({ action: 'kill', signal: 9, time: '2026-11-23T13:38:49.416110480Z',
      subject: { containerId: id, containerName: 'app', pod: 'web-0', namespace: 'shop', podUid: '5f1d7c2e-8a4b-4c1e-9f3a-2b6d8e0c4a71' } });
    expect(health).toMatchObject({ action: 'health_status: unhealthy', time: '2026-11-23T13:38:49.5Z',
      subject: { containerName: 'web', cluster: 'prod', taskId: '0f3c1a9b', runtimeId: id } });
  });

  test('detect: docker events, not kernel logs, Lambda logs or describe text; the kernel parser leaves events alone', () => {
    for (const f of ['events-oom-killed.txt', 'events-stop-timeout.jsonl']) {
      const head = readFileSync(fixture(f), 'utf8');
      expect(dockerEvents.detect(head)).toBe(true);
      expect(kernelLog.detect(head)).toBe(false);
    }
    expect(dockerEvents.detect(readFileSync(fixturePath('kernel', 'recorded-dmesg-docker-oom-cgroupv1-kernel6.18.txt'), 'utf8'))).toBe(false);
    expect(dockerEvents.detect('START RequestId: 8f5d Version: $LATEST\nEND RequestId: 8f5d\n')).toBe(false);
    expect(dockerEvents.detect('Name:         web-0\nNamespace:    shop\nStatus:       Running\n')).toBe(false);
    expect(dockerEvents.detect('{"MESSAGE":"x","__REALTIME_TIMESTAMP":"1"}\n')).toBe(false);
  });
});

const failure = (name: string, content: string | Buffer): Promise<Why137Error> => artifactFailure(tmp, name, content);

describe('docker events input that cannot be read: a Why137Error with one line naming the file', () => {
  const json = readFileSync(fixture('events-stop-timeout.jsonl'), 'utf8');
  const text = readFileSync(fixture('events-stop-timeout.txt'), 'utf8');

  test('JSON lines cut in the middle of the last event', async () => {
    const e = await failure('truncated.jsonl', json.slice(0, json.length - 40));
    expect(e.code).toBe('why137_artifact_invalid');
    expect(e.message).toContain('line 6 is not valid JSON');
  });

  test('a text line that is not an event', async () => {
    const broken = text.replace(/\n(2026[^\n]*signal=9\))/, '\n$1 garbage\nthis is not an event');
    const e = await failure('malformed.txt', broken);
    expect(e.code).toBe('why137_artifact_invalid');
    expect(e.message).toMatch(/line \d+ is not a docker event/);
  });

  test('JSON events of another shape', async () => {
    const e = await failure('other.jsonl', `${json.split('\n')[0]}\n{"Type":"container","Action":"die"}\n`);
    expect(e.code).toBe('why137_artifact_invalid');
    expect(e.message).toContain('line 2 is JSON but not a docker event');
  });

  test('empty and binary', async () => {
    expect((await failure('empty.txt', '\n\n')).code).toBe('why137_artifact_empty');
    expect((await failure('binary.txt', Buffer.concat([Buffer.from(text.slice(0, 100)), Buffer.alloc(64, 0)]))).code).toBe('why137_artifact_binary');
  });
});
