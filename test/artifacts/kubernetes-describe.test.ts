import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { kubernetesDescribe } from '../../src/artifacts/kubernetes-describe.js';
import { describeEventRow } from '../../src/artifacts/kubernetes/describe-event-row.js';
import { describeTime } from '../../src/artifacts/kubernetes/describe-time.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const fx = (name: string) => fixturePath('kubernetes', name);
const tmp = mkdtempSync(path.join(tmpdir(), 'why137-k8s-describe-'));

async function read(file: string): Promise<Evidence[]> {
  const r = await readArtifact(file);
  expect(r.kind).toBe('kubernetes.describe');
  return r.evidence;
}
async function* linesOf(text: string): AsyncGenerator<string> {
  for (const l of text.split('\n')) yield l;
}
const states = (ev: Evidence[], previous: boolean) => ofKind(ev, 'container.state').filter((e) => (e.previous ?? false) === previous);
const lineOf = (file: string, needle: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('kubernetes.describe: kubectl describe pod', () => {
  test('OOMKilled in CrashLoopBackOff: previous run, limits, QoS, events with counts', async () => {
    const file = fx('describe-oomkilled.txt');
    const ev = await read(file);
    const subject = { platform: 'kubernetes', pod: 'checkout-api-6d8f7b9c54-x7k2p', namespace: 'shop', node: 'ip-10-42-3-117.eu-west-1.compute.internal' };
    const prev = states(ev, true)[0]!;
    expect(prev).toMatchObject({
      status: 'terminated', previous: true, exitCode: 137, reason: 'OOMKilled', oomKilled: true, restartCount: 14, waitingReason: 'CrashLoopBackOff',
      startedAt: '2024-05-14T09:17:05Z', finishedAt: '2024-05-14T09:17:43Z', image: 'registry.example.com/shop/checkout-api:2.14.3',
      subject: { ...subject, containerName: 'app', containerId: expect.stringMatching(/^[0-9a-f]{64}$/) },
      cite: { file, at: `line ${lineOf(file, 'Last State:')}`, excerpt: 'Last State: Terminated; Reason: OOMKilled; Exit Code: 137' },
    });
    // While waiting, the shown container id is still the one of the run that was killed.
    expect(states(ev, false)[0]).toMatchObject({ status: 'waiting', waitingReason: 'CrashLoopBackOff', subject: { containerId: prev.subject.containerId } });
    expect(ofKind(ev, 'limits')).toEqual([
      expect.objectContaining({ scope: 'container', memoryLimitBytes: 256 * Mi, memoryRequestBytes: 128 * Mi, cpu: '500m', cite: { file, at: `line ${lineOf(file, '    Limits:')}`, excerpt: 'memory: 256Mi' } }),
      expect.objectContaining({ scope: 'pod', memoryLimitBytes: 256 * Mi }),
    ]);
    expect(ofKind(ev, 'pod.status')[0]).toMatchObject({ phase: 'Running', qosClass: 'Burstable', startTime: '2024-05-14T08:02:11Z', owners: [{ kind: 'ReplicaSet', name: 'checkout-api-6d8f7b9c54' }], subject });
    expect(ofKind(ev, 'runtime')[0]).toMatchObject({ command: ['/usr/local/bin/checkout-api', '--config=/etc/checkout/config.yaml'], settings: { envNames: ['LOG_LEVEL', 'HTTP_ADDR'] } });
    const backOff = ofKind(ev, 'k8s.event').find((e) => e.reason === 'BackOff')!;
    expect(backOff).toMatchObject({ type: 'Warning', count: 311, component: 'kubelet', involvedKind: 'Pod', subject: { ...subject, containerName: 'app' }, cite: { at: `line ${lineOf(file, 'Back-off restarting')}` } });
    expect(ofKind(ev, 'k8s.event').map((e) => [e.reason, e.count])).toEqual([['Scheduled', 1], ['Pulled', 15], ['Created', 15], ['Started', 15], ['BackOff', 311]]);
  });

  test('liveness probe kills: Error 137, the probe failures and the kubelet saying it will restart', async () => {
    const ev = await read(fx('describe-liveness-probe.txt'));
    expect(states(ev, true)[0]).toMatchObject({ exitCode: 137, reason: 'Error', oomKilled: false, restartCount: 6 });
    // The running container's id is not the killed run's: describe does not show that one.
    expect(states(ev, true)[0]!.subject.containerId).toBeUndefined();
    expect(states(ev, false)[0]).toMatchObject({ status: 'running', startedAt: '2024-05-16T10:52:31Z', subject: { containerId: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const events = ofKind(ev, 'k8s.event');
    expect(events.find((e) => e.message.startsWith('Liveness probe failed'))).toMatchObject({
      reason: 'Unhealthy', type: 'Warning', count: 18,
      message: 'Liveness probe failed: Get "http://10.244.2.31:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    });
    expect(events.find((e) => e.reason === 'Killing')).toMatchObject({ message: 'Container gateway failed liveness probe, will be restarted', count: 6, subject: { containerName: 'gateway' } });
    expect(ofKind(ev, 'pod.status')[0]!.qosClass).toBe('Guaranteed');
    expect(ofKind(ev, 'limits')[0]).toMatchObject({ memoryLimitBytes: Gi, memoryRequestBytes: Gi });
  });

  test('env: names only; secret refs, field refs and multi-line values never become names or evidence', async () => {
    const ev = await read(fx('describe-liveness-probe.txt'));
    const rt = ofKind(ev, 'runtime')[0]!;
    expect(rt.settings.envNames).toEqual(['NODE_ENV', 'NODE_OPTIONS', 'ADMIN_PASSWORD', 'SEARCH_DB_URL', 'POD_NAME', 'UPSTREAM_CA']);
    expect(rt.settings).toMatchObject({ runtime: 'node', nodeMaxOldSpaceMb: 768 });
    const json = JSON.stringify(ev);
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain('BEGIN CERTIFICATE');
    expect(json).not.toContain('search-db');
  });

  test('evicted: pod reason and message, ContainerStatusUnknown 137, zero times dropped', async () => {
    const ev = await read(fx('describe-evicted.txt'));
    expect(ofKind(ev, 'pod.status')[0]).toMatchObject({
      phase: 'Failed', reason: 'Evicted', qosClass: 'Burstable',
      message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 58912Ki. Container web was using 1790320Ki, request is 256Mi, has larger consumption of its request.',
    });
    expect(ofKind(ev, 'pod.status')[0]!.conditions).toContainEqual({ type: 'DisruptionTarget', status: 'True' });
    const st = states(ev, false)[0]!;
    expect(st).toMatchObject({ status: 'terminated', exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' });
    expect(st.startedAt).toBeUndefined();
    expect(st.subject.containerId).toBeUndefined();
    expect(ofKind(ev, 'k8s.event').map((e) => e.reason)).toEqual(['Evicted', 'Killing', 'ExceededGracePeriod']);
  });

  test('terminating: no phase, the deletion grace period, no events', async () => {
    const ev = await read(fx('describe-terminating.txt'));
    const s = ofKind(ev, 'pod.status')[0]!;
    expect(s).toMatchObject({ terminating: true, deletionGracePeriodSeconds: 30 });
    expect(s.phase).toBeUndefined();
    expect(s.deletionTimestamp).toBeUndefined();
    expect(ofKind(ev, 'k8s.event')).toHaveLength(0);
    expect(ofKind(ev, 'runtime')[0]).toMatchObject({ command: ['python', '-m', 'consumer'], settings: { runtime: 'python' } });
  });

  test('several pods in one output (kubectl describe pods)', async () => {
    const file = path.join(tmp, 'two.txt');
    writeFileSync(file, readFileSync(fx('describe-oomkilled.txt'), 'utf8') + '\n\n' + readFileSync(fx('describe-evicted.txt'), 'utf8'));
    const ev = await read(file);
    expect(ofKind(ev, 'pod.status').map((s) => [s.subject.pod, s.reason])).toEqual([['checkout-api-6d8f7b9c54-x7k2p', undefined], ['web-frontend-7b9d5c6f48-2xq9w', 'Evicted']]);
    expect(ofKind(ev, 'k8s.event').filter((e) => e.subject.pod === 'web-frontend-7b9d5c6f48-2xq9w')).toHaveLength(3);
  });

  test('old kubectl: `Terminating (expires <time>)`, `kubelet, <node>` in From, init containers', async () => {
    const text = [
      'Name:\t\tlegacy-0', 'Namespace:\tdefault', 'Node:\t\tnode-a/10.0.0.4', 'Status:\t\tTerminating (expires Tue, 14 May 2019 09:17:43 +0000)', 'Termination Grace Period:\t0s',
      'Init Containers:', '  setup:', '    State:\t\tTerminated', '      Reason:\t\tCompleted', '      Exit Code:\t0', '    Limits:', '      memory:\t64Mi',
      'Containers:', '  app:', '    Container ID:\tdocker://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', '    State:\t\tTerminated',
      '      Reason:\t\tError', '      Exit Code:\t137', '    Limits:', '      memory:\t128Mi', '    Environment:\t<none>',
      'Events:', '  Type\tReason\tAge\tFrom\tMessage', '  ----\t------\t----\t----\t-------',
      '  Normal\tKilling\t1m\tkubelet, node-a\tKilling container with id docker://app:Need to kill Pod',
    ].join('\n').replace(/\t+/g, '   ');
    const ev = await kubernetesDescribe.parse(linesOf(text), 'legacy.txt');
    expect(ofKind(ev, 'pod.status')[0]).toMatchObject({ terminating: true, deletionTimestamp: '2019-05-14T09:17:43Z', deletionGracePeriodSeconds: 0, qosClass: 'Burstable' });
    expect(ofKind(ev, 'limits').map((l) => [l.scope, l.subject.containerName, l.memoryLimitBytes])).toEqual([['container', 'setup', 64 * Mi], ['container', 'app', 128 * Mi], ['pod', undefined, 128 * Mi]]);
    expect(states(ev, false).map((s) => [s.subject.containerName, s.reason, s.exitCode])).toEqual([['setup', 'Completed', 0], ['app', 'Error', 137]]);
    expect(states(ev, false)[1]!.subject.containerId).toBe('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
    expect(ofKind(ev, 'k8s.event')[0]).toMatchObject({ reason: 'Killing', component: 'kubelet', subject: { node: 'node-a', containerName: 'app' } });
  });

  test('parse directly gives what readArtifact gives', async () => {
    const file = fx('describe-oomkilled.txt');
    expect(await kubernetesDescribe.parse(linesOf(readFileSync(file, 'utf8')), file)).toEqual(await read(file));
  });

  test.each([
    ['describe-oomkilled.txt', true],
    ['describe-evicted.txt', true],
    ['pod-java-xmx-equals-limit.yaml', false],
    ['pod-oomkilled-crashloop.json', false],
  ])('detect(%s) is %s', (name, expected) => {
    expect(kubernetesDescribe.detect(readFileSync(fx(name), 'utf8'))).toBe(expected);
  });

  test.each([
    ['kubectl describe node', 'Name:               ip-10-0-1-2\nRoles:              <none>\nLabels:             kubernetes.io/os=linux\nConditions:\n'],
    ['kubectl describe deployment', 'Name:                   web\nNamespace:              default\nReplicas:               3 desired\nPod Template:\n  Containers:\n   web:\n'],
    ['a YAML document with capitalised keys', 'Name: x\nNamespace: y\nStatus: z\nkind: Pod\n'],
  ])('detect rejects %s', (_what, head) => {
    expect(kubernetesDescribe.detect(head)).toBe(false);
  });

  test.each([
    ['cut before Events:', (t: string) => t.slice(0, t.indexOf('Events:')), /ends before its Events: section/],
    ['cut before Containers:', (t: string) => t.slice(0, t.indexOf('Containers:')), /lists no containers/],
  ])('truncated (%s) is invalid, one line naming the file', async (_what, cut, message) => {
    const file = path.join(tmp, 'cut.txt');
    writeFileSync(file, cut(readFileSync(fx('describe-oomkilled.txt'), 'utf8')));
    const err = await readArtifact(file).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Why137Error);
    expect(err).toMatchObject({ code: 'why137_artifact_invalid' });
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
  });
});

describe('describe helpers', () => {
  test.each([
    ['Tue, 14 May 2024 09:17:05 +0000', '2024-05-14T09:17:05Z'],
    ['Tue, 14 May 2024 11:17:05 +0200', '2024-05-14T09:17:05Z'],
    ['Mon, 01 Jan 0001 00:00:00 +0000', undefined],
    ['yesterday', undefined],
  ])('describeTime(%s)', (text, iso) => {
    expect(describeTime(text)).toBe(iso);
  });

  test('an event row is split at the header columns, or on the padding when the columns were lost', () => {
    const header = '  Type     Reason     Age                From     Message';
    const cols = ['Type', 'Reason', 'Age', 'From', 'Message'].map((h) => header.indexOf(h));
    const row = '  Warning  Unhealthy  2m (x5 over 10m)   kubelet  Liveness probe failed: HTTP probe failed with statuscode: 500';
    const want = { type: 'Warning', reason: 'Unhealthy', age: '2m (x5 over 10m)', from: 'kubelet', message: 'Liveness probe failed: HTTP probe failed with statuscode: 500' };
    expect(describeEventRow(row, cols)).toEqual(want);
    expect(describeEventRow('  Warning  Unhealthy  2m (x5 over 10m)  kubelet  Liveness probe failed: HTTP probe failed with statuscode: 500', cols)).toEqual(want);
    expect(describeEventRow('  something else entirely', cols)).toBeUndefined();
  });
});
