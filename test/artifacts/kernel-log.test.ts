import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { dockerEvents } from '../../src/artifacts/docker-events.js';
import { dockerInspect } from '../../src/artifacts/docker-inspect.js';
import { kernelLog } from '../../src/artifacts/kernel-log.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import type { Evidence, KernelOomEvidence, LogCoverageEvidence, StopEscalationEvidence } from '../../src/diagnosis/evidence.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { describeWithComponents } from '../helpers/component.js';
import { startDockerd, type Dockerd } from '../helpers/dockerd.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'why137-kernel-log-'));
const fixture = (name: string) => fixturePath('kernel', name);
const lines = (file: string) => createInterface({ input: createReadStream(file), crlfDelay: Infinity });
const idOf = (inspect: string) => (JSON.parse(readFileSync(fixturePath('docker', inspect), 'utf8')) as { Id: string }[])[0]!.Id;
/** Syslog and journal short lines carry no year: the parser assumes the most recent one. */
const noYear = (rest: string) => expect.stringMatching(new RegExp(`^\\d{4}-${rest.replace(/\./g, '\\.')}$`));

type Expected = Partial<Record<keyof KernelOomEvidence, unknown>> & { at: string };
interface Row {
  fixture: string;
  ooms: Expected[];
  escalations?: (Partial<Record<keyof StopEscalationEvidence, unknown>> & { at: string })[];
  coverage: Partial<Record<keyof LogCoverageEvidence, unknown>>;
}

const D1 = 'aec9204a6e5dcbba19f618143933b814892919ce0da7b3877bbeaa7cc064cde2';
const D2 = 'd5bbfca0437ae2a78dd495b297421156230007e9c3ef695715a61a1a6f6a6da1';
const K2C = '0f723911ced8683b405a77005237bf3780ecd4368f862d8af4f265cb088e1371';
const K3C = '25709b463ec57eb0fcaf7b9d919435f15736d3ef3d2bb58c47bce523e7f4168b';
const K4C = '300b8f1aaedeb8dffcbb707f473d1cf27ed9c418556fdc82729edd78f1ec0405';
const G1 = '22f01f7f25da42d14e51453d4a13b1dfb63d262ec3f9425811a188b0a9ceb150';
const ECS_T = '7c282cd437c569813e973e3062acb345';
const ECS_D = 'f17ed6f3298ab26d0beb97d819e459e0a186a72e8c336d42e38f2917d11ed76e';
const J1 = '58917fee1992160c90b4528c3cbdc6a19dc5399d7d9cbe578447dc1573eb154d';
const CRIO = '37a8f2864c18d59d8f5d310ceeb28e8464ddd0306b5cb52d233633bb9c5bbef4';
const STOPD = '401b28f2a4011320e9a351c2127985dcb760dbfda91dd9a43ba5d0b299c04876';
const STOPC = '4b2859b66664faeb77bf93d0a83d7cffcbeda134bdb4ec7aed7d19361a1d5791';
const OOM_ID = idOf('inspect-oom-killed-cgroupv1.json');
const CHILD_ID = idOf('inspect-child-oom-exit3-cgroupv1.json');
const k8sSystemd = (qos: string, uid: string, scope: string) => `/kubepods.slice/kubepods-${qos}.slice/kubepods-${qos}-pod${uid.replace(/-/g, '_')}.slice/${scope}`;
const K3PATH = k8sSystemd('burstable', 'c5ef287d-3e04-4cd0-9fc6-1afb604026ea', `cri-containerd-${K3C}.scope`);
const CRIOPATH = k8sSystemd('besteffort', 'e068b42d-54a8-4e0a-9b50-141269596703', `crio-${CRIO}.scope`);
const recordedOom = (id: string): Expected => ({
  scope: 'cgroup', process: 'sh', invokedBy: 'sh', constraint: 'CONSTRAINT_MEMCG', limitCgroup: `/docker/${id}`, taskCgroup: `/docker/${id}`,
  cgroupUsageKb: 32768, cgroupLimitKb: 32768, cpuset: id, totalVmKb: 51428, shmemRssKb: 0, oomScoreAdj: 0,
  subject: { platform: 'docker', containerId: id, pid: expect.any(Number) }, at: 'line 80',
});

const rows: Row[] = [
  // Recorded on this machine (cgroup v1, kernel 6.18, dockerd 20.10): the same kill as inspect-oom-killed-cgroupv1.json.
  { fixture: 'recorded-dmesg-docker-oom-cgroupv1-kernel6.18.txt', ooms: [{ ...recordedOom(OOM_ID), uptimeSeconds: expect.any(Number) }],
    coverage: { lines: 80, firstUptimeSeconds: expect.any(Number) } },
  { fixture: 'recorded-dmesg-T-docker-oom-cgroupv1-kernel6.18.txt', ooms: [{ ...recordedOom(OOM_ID), time: expect.stringMatching(/^2026-11-23T13:\d\d:\d\d$/) }],
    coverage: { lines: 80, firstTime: expect.stringMatching(/^2026-11-23T/) } },
  { fixture: 'recorded-dmesg-child-oom-exit3-cgroupv1-kernel6.18.txt', ooms: [recordedOom(CHILD_ID)], coverage: { lines: 80 } },
  // Composed in the kernel's own formats (see test/fixtures/kernel/README.md).
  { fixture: 'cgroupv1-kernel4.14-docker-oom-and-sacrificed-child-dmesg.txt', coverage: { lines: 98, firstUptimeSeconds: 0, lastUptimeSeconds: 9126.931102 },
    ooms: [
      { at: 'line 50', scope: 'cgroup', pid: 24801, process: 'java', invokedBy: 'java', cpuset: D1, taskCgroup: `/docker/${D1}`, limitCgroup: `/docker/${D1}`,
        cgroupUsageKb: 524288, cgroupLimitKb: 524288, totalVmKb: 4409356, anonRssKb: 516588, fileRssKb: 7456, shmemRssKb: 0, uptimeSeconds: 7342.119372,
        subject: { platform: 'docker', containerId: D1, pid: 24801 } },
      // The kernel chose the master (25060) and sacrificed a child: the Killed line names the worker.
      { at: 'line 95', scope: 'cgroup', pid: 25101, process: 'gunicorn', taskCgroup: `/docker/${D2}`, cgroupLimitKb: 262144, anonRssKb: 84592,
        subject: { platform: 'docker', containerId: D2, pid: 25101 } },
    ] },
  { fixture: 'cgroupv1-kernel4.19-kubepods-cgroupfs-kern-log.txt', coverage: { lines: 41, firstTime: noYear('11-23T12:58:02'), lastTime: noYear('11-23T12:59:10') },
    ooms: [{ at: 'line 37', scope: 'cgroup', constraint: 'CONSTRAINT_MEMCG', pid: 31877, process: 'node', invokedBy: 'node', cgroupUsageKb: 1048576, cgroupLimitKb: 1048576,
      limitCgroup: `/kubepods/burstable/pod432814bc-0e0e-4df7-ada3-ed1abc6fe278/${K2C}`, taskCgroup: `/kubepods/burstable/pod432814bc-0e0e-4df7-ada3-ed1abc6fe278/${K2C}`,
      totalVmKb: 4926208, anonRssKb: 1035988, fileRssKb: 1316, time: noYear('11-23T12:58:41'), uptimeSeconds: 8123.457421,
      subject: { platform: 'kubernetes', podUid: '432814bc-0e0e-4df7-ada3-ed1abc6fe278', containerId: K2C, pid: 31877, host: 'ip-10-0-3-17' } }] },
  { fixture: 'cgroupv2-kernel5.15-kubepods-systemd-journalctl-k.txt', coverage: { lines: 60 },
    ooms: [{ at: 'line 57', scope: 'cgroup', constraint: 'CONSTRAINT_MEMCG', pid: 412871, process: 'python3', limitCgroup: K3PATH, taskCgroup: K3PATH,
      cgroupUsageKb: 2097152, cgroupLimitKb: 2097152, anonRssKb: 2087064, fileRssKb: 1536, shmemRssKb: 0, totalVmKb: 2449484, oomScoreAdj: 984, time: noYear('11-23T13:00:00'),
      subject: { platform: 'kubernetes', podUid: 'c5ef287d-3e04-4cd0-9fc6-1afb604026ea', containerId: K3C, pid: 412871, host: 'ip-10-0-7-42' } }] },
  // The node's /kubepods cgroup was the limit: rules read this as host_oom though the words say "Memory cgroup".
  { fixture: 'cgroupv1-kernel4.14-kubepods-node-limit-dmesg-T.txt', coverage: { lines: 34, firstTime: '2026-11-23T12:41:07', lastTime: '2026-11-23T12:43:40' },
    ooms: [{ at: 'line 32', scope: 'cgroup', limitCgroup: '/kubepods', taskCgroup: `/kubepods/besteffort/pod54feeea1-1611-4ceb-88d0-8db3f6ece571/${K4C}`, pid: 18842,
      process: 'stress', time: '2026-11-23T12:43:19', cgroupLimitKb: 3720576,
      subject: { platform: 'kubernetes', podUid: '54feeea1-1611-4ceb-88d0-8db3f6ece571', containerId: K4C, pid: 18842 } }] },
  { fixture: 'global-oom-kernel5.10-docker-task-dmesg.txt', coverage: { lines: 111 },
    ooms: [{ at: 'line 109', scope: 'global', constraint: 'CONSTRAINT_NONE', taskCgroup: `/docker/${G1}`, pid: 29114, process: 'java', invokedBy: 'kworker/u8:2',
      anonRssKb: 15580840, totalVmKb: 16863332, oomScoreAdj: 0, uptimeSeconds: 86402.905516,
      subject: { platform: 'docker', containerId: G1, pid: 29114 } }] },
  { fixture: 'global-oom-kernel3.10-centos7-messages.txt', coverage: { lines: 25 },
    ooms: [{ at: 'line 22', scope: 'global', pid: 2188, process: 'mysqld', cpuset: '/', totalVmKb: 3330016, anonRssKb: 864176, fileRssKb: 8072, time: noYear('11-23T02:53:56'),
      subject: { pid: 2188, host: 'db-01' } }] },
  { fixture: 'ecs-ec2-cgroupv1-kernel4.14-task-limit-journalctl-k.txt', coverage: { lines: 31 },
    ooms: [{ at: 'line 30', scope: 'cgroup', limitCgroup: `/ecs/${ECS_T}`, taskCgroup: `/ecs/${ECS_T}/${ECS_D}`, pid: 7731, process: 'java', cgroupLimitKb: 1048576,
      subject: { platform: 'ecs', taskId: ECS_T, runtimeId: ECS_D, containerId: ECS_D, pid: 7731, host: 'ip-172-31-20-5.eu-west-1.compute.internal' } }] },
  { fixture: 'cgroupv2-kernel6.1-docker-systemd-driver-journalctl-k-json.jsonl', coverage: { lines: 37, firstTime: '2026-11-23T13:20:00.123456Z', lastTime: '2026-11-23T13:20:00.124896Z' },
    ooms: [{ at: 'line 36', scope: 'cgroup', constraint: 'CONSTRAINT_MEMCG', limitCgroup: `/system.slice/docker-${J1}.scope`, taskCgroup: `/system.slice/docker-${J1}.scope`,
      pid: 55120, process: 'cc1plus', cgroupLimitKb: 4194304, time: '2026-11-23T13:20:00.124856Z', uptimeSeconds: 912.345878,
      subject: { platform: 'docker', containerId: J1, pid: 55120, host: 'build-runner-3' } }] },
  { fixture: 'cgroupv2-kernel5.14-crio-journalctl-k-short-iso.txt', coverage: { lines: 23, firstTime: '2026-11-23T12:59:01Z', lastTime: '2026-11-23T13:05:14Z' },
    ooms: [{ at: 'line 20', scope: 'cgroup', limitCgroup: CRIOPATH, taskCgroup: CRIOPATH, pid: 9911, process: 'ruby', oomScoreAdj: 1000, time: '2026-11-23T13:05:12Z',
      subject: { platform: 'kubernetes', podUid: 'e068b42d-54a8-4e0a-9b50-141269596703', containerId: CRIO, pid: 9911, host: 'worker-2' } }] },
  // Two hosts' reports interleaved line by line in a central kern.log: each kill keeps its own host's lines.
  { fixture: 'interleaved-two-hosts-memcg-and-global-kern-log.txt', coverage: { lines: 32 },
    ooms: [
      { at: 'line 29', scope: 'global', constraint: 'CONSTRAINT_NONE', pid: 7020, process: 'postgres', invokedBy: 'postgres', taskCgroup: '/system.slice/postgresql.service', oomScoreAdj: -998,
        subject: { platform: 'host', unit: 'postgresql.service', pid: 7020, host: 'node-b' } },
      { at: 'line 32', scope: 'cgroup', constraint: 'CONSTRAINT_MEMCG', pid: 9911, process: 'ruby', invokedBy: 'ruby', limitCgroup: CRIOPATH, cgroupUsageKb: 524288, cgroupLimitKb: 524288,
        subject: { platform: 'kubernetes', containerId: CRIO, pid: 9911, host: 'node-a' } },
    ] },
  { fixture: 'systemd-oomd-and-stop-escalations-journal.txt', coverage: { lines: 31 },
    ooms: [{ at: 'line 8', scope: 'oomd', taskCgroup: '/system.slice/batch-report.service', limitCgroup: '/system.slice', time: noYear('11-23T13:10:05'),
      subject: { platform: 'host', unit: 'batch-report.service', host: 'node-7' } }],
    escalations: [
      { at: 'line 13', by: 'systemd', graceSeconds: 90, subject: { platform: 'host', unit: 'legacy-worker.service', host: 'node-7' } },
      { at: 'line 17', by: 'dockerd', graceSeconds: 10, time: '2026-11-23T13:15:00.123456789Z', subject: { platform: 'docker', containerId: STOPD, host: 'node-7' } },
      { at: 'line 19', by: 'dockerd', graceSeconds: 60, subject: { containerId: STOPD } },
      { at: 'line 20', by: 'dockerd', graceSeconds: 30, subject: { containerId: STOPD } },
      // A graceful CRI stop (no "Kill container") and a forced delete (timeout 0) are not escalations.
      { at: 'line 23', by: 'containerd', graceSeconds: 30, time: '2026-11-23T13:20:30.002333444Z', subject: { containerId: STOPC, host: 'node-7' } },
    ] },
  { fixture: 'no-oom-noise-only-dmesg.txt', ooms: [], coverage: { lines: 25, firstUptimeSeconds: 0, lastUptimeSeconds: 6034.5 } },
];

function check(row: Row, evidence: Evidence[], file: string): void {
  const ooms = ofKind(evidence, 'kernel.oom');
  expect(ooms).toHaveLength(row.ooms.length);
  row.ooms.forEach(({ at, ...want }, i) => {
    expect(ooms[i]).toMatchObject(want);
    expect(ooms[i]!.cite).toMatchObject({ file, at });
    expect(ooms[i]!.cite.excerpt!.length).toBeLessThanOrEqual(200);
  });
  if (row.ooms.length > 0 && ooms[0]!.scope !== 'oomd') expect(ooms.every((o) => /Killed process/.test(o.cite.excerpt!))).toBe(true);
  const escalations = ofKind(evidence, 'stop.escalation');
  expect(escalations).toHaveLength(row.escalations?.length ?? 0);
  (row.escalations ?? []).forEach(({ at, ...want }, i) => {
    expect(escalations[i]).toMatchObject(want);
    expect(escalations[i]!.cite.at).toBe(at);
  });
  const coverage = ofKind(evidence, 'log.coverage');
  expect(coverage).toHaveLength(1);
  expect(coverage[0]).toMatchObject({ log: 'kernel', ...row.coverage });
  expect(evidence[evidence.length - 1]).toBe(coverage[0]);
}

describe('kernelLog over recorded and composed kernel logs', () => {
  test.each(rows)('$fixture through readArtifact', async (row) => {
    const file = fixture(row.fixture);
    const result = await readArtifact(file);
    expect(result.kind).toBe('kernel.log');
    check(row, result.evidence, file);
  });

  test.each(rows)('$fixture through the parser', async (row) => {
    const file = fixture(row.fixture);
    expect(kernelLog.detect(readFileSync(file, 'utf8'))).toBe(true);
    check(row, await kernelLog.parse(lines(file), 'kern.log'), 'kern.log');
  });

  test('recorded dockerd log (its stderr): "failed to exit within 1s of signal 15 - using the force"', async () => {
    const file = fixturePath('docker', 'dockerd-log-stop-timeout.txt');
    const result = await readArtifact(file);
    expect(result.kind).toBe('kernel.log');
    const [e] = ofKind(result.evidence, 'stop.escalation');
    expect(e).toMatchObject({ by: 'dockerd', graceSeconds: 1, time: expect.stringMatching(/^2026-11-23T13:\d\d:\d\d\.\d{9}Z$/),
      subject: { platform: 'docker', containerId: idOf('inspect-stop-timeout-sigkill.json') } });
    expect(e!.cite.excerpt).toMatch(/^Container failed to exit within 1s of signal 15 - using the force container=[0-9a-f]{64}$/);
  });

  test('other prefixes: dmesg -x with caller ids, dmesg --time-format iso, rsyslog RFC 3339 in another zone, RHEL 6', async () => {
    const id = '9f3a2b6d8e0c4a715f1d7c2e8a4b4c1e9f3a2b6d8e0c4a715f1d7c2e8a4b4c1e';
    const report = (kill: string) => [
      'stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
      'memory: usage 65536kB, limit 65536kB, failcnt 9',
      `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=${id.slice(0, 12)},mems_allowed=0,oom_memcg=/docker/${id},task_memcg=/docker/${id},task=stress,pid= 4321,uid=0`,
      kill,
    ];
    const modern = 'Memory cgroup out of memory: Killed process 4321 (stress) total-vm:70000kB, anon-rss:65000kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:160kB oom_score_adj:0';
    const forms: [string, string[], Partial<KernelOomEvidence>][] = [
      ['dmesg -x', report(modern).map((l, i) => `kern  :${i === 3 ? 'err ' : 'warn'}  : [ 1200.00${i}000][ T4321] ${l}`), { uptimeSeconds: 1200.003 }],
      ['dmesg --time-format iso', report(modern).map((l) => `2026-11-23T14:05:12,123456+01:00 ${l}`), { time: '2026-11-23T13:05:12.123456Z' }],
      ['rsyslog RFC 3339', report(modern).map((l) => `2026-11-23T14:05:12.5+01:00 web-3 kernel: [ 99.100000] ${l}`), { time: '2026-11-23T13:05:12.5Z', uptimeSeconds: 99.1, subject: { host: 'web-3' } }],
      ['RHEL 6', report('Killed process 4321, UID 0, (stress) total-vm:70000kB, anon-rss:65000kB, file-rss:4kB'), { anonRssKb: 65000 }],
    ];
    for (const [name, input, want] of forms) {
      async function* gen() { yield* input; }
      expect([name, kernelLog.detect(input.join('\n'))]).toEqual([name, true]);
      const [oom] = ofKind(await kernelLog.parse(gen(), 'x'), 'kernel.oom');
      expect([name, oom]).toEqual([name, expect.objectContaining({ scope: 'cgroup', pid: 4321, process: 'stress', cgroupLimitKb: 65536, limitCgroup: `/docker/${id}`, ...want,
        subject: expect.objectContaining({ containerId: id, pid: 4321, ...want.subject }) })]);
    }
  });

  test('a userland line that says "Killed process" is not a kernel OOM; "no killable processes" is not a kill', async () => {
    const input = [
      'Nov 23 13:10:04 node-7 myapp[4411]: Killed process 42 (worker) total-vm:1024kB, anon-rss:512kB, file-rss:0kB, shmem-rss:0kB',
      'Nov 23 13:10:05 node-7 kernel: sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-1000',
      'Nov 23 13:10:05 node-7 kernel: Out of memory and no killable processes...',
      'Nov 23 13:10:06 node-7 kernel: oom_reaper: reaped process 77 (x), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
    ];
    async function* gen() { yield* input; }
    const evidence = await kernelLog.parse(gen(), 'x');
    expect(evidence.map((e) => e.kind)).toEqual(['log.coverage']);
  });

  test('detect: kernel logs in every form, but not Lambda logs, kubectl describe, docker events or app logs', () => {
    for (const row of rows) expect([row.fixture, kernelLog.detect(readFileSync(fixture(row.fixture), 'utf8'))]).toEqual([row.fixture, true]);
    const not = [
      'START RequestId: 8f5d2a1e-1b2c-4d3e-9f0a-1b2c3d4e5f60 Version: $LATEST\n2026-11-23T13:00:00.000Z\t8f5d2a1e\tINFO\thello\nEND RequestId: 8f5d2a1e-1b2c-4d3e-9f0a-1b2c3d4e5f60\nREPORT RequestId: 8f5d2a1e-1b2c-4d3e-9f0a-1b2c3d4e5f60\tDuration: 1.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\n',
      '2026-11-23T13:00:00.000Z START RequestId: 8f5d2a1e Version: $LATEST\n2026-11-23T13:00:01.000Z END RequestId: 8f5d2a1e\n',
      'Name:             web-0\nNamespace:        shop\nStatus:           Running\n    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n',
      readFileSync(fixturePath('docker', 'events-oom-killed.txt'), 'utf8'),
      readFileSync(fixturePath('docker', 'events-oom-killed.jsonl'), 'utf8'),
      '2026-11-23T13:00:00Z INFO server listening on :8080\n2026-11-23T13:00:01Z WARN slow request\n',
      'time="2026-11-23T13:00:00Z" level=info msg="request served" path=/healthz\n',
      '<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n',
    ];
    for (const text of not) expect([text.slice(0, 40), kernelLog.detect(text)]).toEqual([text.slice(0, 40), false]);
  });
});

describe('kernelLog streams: bounded state, one kernel.oom per kill', () => {
  test('~200k noise lines with kills and cut reports in between', async () => {
    const KILLS = 25;
    const TOTAL = 200_000;
    const ids: string[] = [];
    async function* gen(): AsyncGenerator<string> {
      let t = 10;
      const ts = () => `[${(t += 0.000731).toFixed(6).padStart(12)}]`;
      for (let i = 0; i < TOTAL; i++) {
        if (i % 8000 === 4000 && ids.length < KILLS) {
          const id = (ids.length.toString(16).padStart(2, '0') + 'ab').repeat(16);
          ids.push(id);
          const cg = `/system.slice/docker-${id}.scope`;
          yield `${ts()} app${ids.length} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`;
          for (let k = 0; k < 30; k++) yield `${ts()}  asm_exc_page_fault+0x22/0x30`;
          yield `${ts()} memory: usage 262144kB, limit 262144kB, failcnt ${i}`;
          yield `${ts()} Memory cgroup stats for ${cg}:`;
          yield `${ts()} oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=docker-${id}.scope,mems_allowed=0,oom_memcg=${cg},task_memcg=${cg},task=app,pid=${1000 + i},uid=0`;
          yield `${ts()} Memory cgroup out of memory: Killed process ${1000 + i} (app) total-vm:300000kB, anon-rss:262000kB, file-rss:100kB, shmem-rss:0kB, UID:0 pgtables:600kB oom_score_adj:0`;
        } else if (i % 8000 === 6000) {
          // A report whose kill never came (a cut log, or "no killable processes").
          yield `${ts()} worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`;
          yield `${ts()} memory: usage 1024kB, limit 1024kB, failcnt 1`;
        } else {
          yield `${ts()} ${i % 3 === 0 ? 'IPv6: ADDRCONF(NETDEV_CHANGE): veth' + i.toString(16) + ': link becomes ready' : i % 3 === 1 ? 'docker0: port 2(veth1a2b) entered forwarding state' : 'audit: type=1400 audit(1795439880.512:212): apparmor="DENIED" operation="open"'}`;
        }
      }
    }
    const evidence = await kernelLog.parse(gen(), 'big.log');
    const ooms = ofKind(evidence, 'kernel.oom');
    expect(ooms).toHaveLength(KILLS);
    expect(ooms.map((o) => o.subject.containerId)).toEqual(ids);
    expect(ooms.every((o) => o.cgroupLimitKb === 262144 && o.scope === 'cgroup')).toBe(true);
    const [coverage] = ofKind(evidence, 'log.coverage');
    // Each kill replaces one noise line by 35, each cut report one by 2.
    expect(coverage!.lines).toBe(TOTAL + KILLS * 34 + 25);
    expect(evidence).toHaveLength(KILLS + 1);
  });
});

const failure = (name: string, content: string | Buffer): Promise<Why137Error> => artifactFailure(tmp, name, content);

describe('kernel log input that cannot be read', () => {
  const json = readFileSync(fixture('cgroupv2-kernel6.1-docker-systemd-driver-journalctl-k-json.jsonl'), 'utf8');
  const kernLog = readFileSync(fixture('cgroupv1-kernel4.19-kubepods-cgroupfs-kern-log.txt'), 'utf8');

  test('journal JSON cut in the middle of a record: invalid, naming the line', async () => {
    const e = await failure('truncated.jsonl', json.slice(0, json.length - 300));
    expect(e.code).toBe('why137_artifact_invalid');
    expect(e.message).toMatch(/line 37 is not valid JSON \(truncated\?\)/);
  });

  test('journal JSON with a foreign record: invalid', async () => {
    const e = await failure('malformed.jsonl', json.replace(/\n\{[^\n]*\n/, '\n{"hello":"world"}\n'));
    expect(e.code).toBe('why137_artifact_invalid');
    expect(e.message).toContain('line 2 is JSON but not a journal record');
  });

  test('binary data after the head is caught per line, binary at the head by readArtifact', async () => {
    const e = await failure('binary-tail.log', kernLog + 'x'.repeat(70 * 1024) + '\n\u0000\u0001\u0002garbage\n');
    expect(e.code).toBe('why137_artifact_invalid');
    expect(e.message).toContain('line 43 holds binary data');
    expect((await failure('binary.log', Buffer.concat([Buffer.from(kernLog.slice(0, 200)), Buffer.alloc(32)]))).code).toBe('why137_artifact_binary');
  });

  test('empty', async () => {
    expect((await failure('empty.log', '')).code).toBe('why137_artifact_empty');
  });

  test('a text log cut inside a report keeps what the kernel had decided, and only that', async () => {
    const all = kernLog.split('\n');
    const cutAfterDecision = all.slice(0, all.findIndex((l) => l.includes('sacrifice child')) + 1).join('\n');
    const file = path.join(tmp, 'cut.log');
    writeFileSync(file, cutAfterDecision);
    const [oom] = ofKind((await readArtifact(file)).evidence, 'kernel.oom');
    // Cited at the "Kill process" line: the victim was named though its "Killed process" line is missing.
    expect(oom).toMatchObject({ scope: 'cgroup', pid: 31877, process: 'node', cgroupLimitKb: 1048576, subject: { containerId: K2C }, cite: { at: 'line 36' } });
    expect(oom!.anonRssKb).toBeUndefined();
    writeFileSync(file, all.slice(0, all.findIndex((l) => l.includes('memory: usage')) + 1).join('\n'));
    expect(ofKind((await readArtifact(file)).evidence, 'kernel.oom')).toEqual([]);
  });
});

describeWithComponents('live: a real OOM kill under a private dockerd, read back from docker inspect, dmesg and docker events', ['dockerd', 'docker', 'busybox', 'dmesg'], () => {
  let d: Dockerd;
  beforeAll(async () => { d = await startDockerd(); });
  afterAll(async () => { await d?.stop(); });

  test('dockerInspect says OOMKilled, and kernelLog finds the kill of that very container', async () => {
    const since = (Date.now() / 1000).toFixed(3);
    const run = await d.docker(['run', '--name', 'live-oom', '--memory=32m', '--memory-swap=32m', d.image, 'sh', '-c', 'x=a; while true; do x=$x$x; done']);
    expect(run.code).toBe(137);
    const inspect = await d.docker(['inspect', 'live-oom']);
    const doc: unknown = JSON.parse(inspect.stdout);
    expect(dockerInspect.detect(doc)).toBe(true);
    const [state] = ofKind(dockerInspect.parse(doc, 'source:docker'), 'container.state');
    expect(state).toMatchObject({ exitCode: 137, oomKilled: true });
    const id = state!.subject.containerId!;

    const dmesg = await promisify(execFile)('dmesg', [], { maxBuffer: 64 * 1024 * 1024 });
    const file = path.join(tmp, 'live-dmesg.txt');
    writeFileSync(file, dmesg.stdout);
    const result = await readArtifact(file);
    expect(result.kind).toBe('kernel.log');
    const mine = ofKind(result.evidence, 'kernel.oom').filter((o) => o.subject.containerId === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ scope: 'cgroup', constraint: 'CONSTRAINT_MEMCG', process: 'sh', cgroupLimitKb: 32768 });
    expect(mine[0]!.taskCgroup).toContain(id);

    await new Promise((r) => setTimeout(r, 1100)); // --until must be in the past
    const events = await d.docker(['events', '--since', since, '--until', (Date.now() / 1000).toFixed(3), '--filter', 'container=live-oom', '--format', '{{json .}}']);
    async function* eventLines() { yield* events.stdout.split('\n'); }
    const actions = (await dockerEvents.parse(eventLines(), 'source:docker-events')).map((e) => (e as { action: string }).action);
    expect(actions).toEqual(expect.arrayContaining(['oom', 'die']));
  });
});
