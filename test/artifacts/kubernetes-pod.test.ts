import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ContainerStateEvidence, Evidence, LimitsEvidence, PodStatusEvidence, RuntimeEvidence } from '../../src/diagnosis/evidence.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { kubernetesPod } from '../../src/artifacts/kubernetes-pod.js';
import { qosClass } from '../../src/artifacts/kubernetes/qos-class.js';
import { podMemoryLimit } from '../../src/artifacts/kubernetes/pod-memory-limit.js';
import { redactArgs } from '../../src/artifacts/kubernetes/redact-args.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;
const fx = (name: string) => fixturePath('kubernetes', name);
const tmp = mkdtempSync(path.join(tmpdir(), 'why137-k8s-pod-'));

async function read(name: string): Promise<Evidence[]> {
  const r = await readArtifact(fx(name));
  expect(r.kind).toBe('kubernetes.pod');
  return r.evidence;
}
const states = (ev: Evidence[], previous: boolean) => ofKind(ev, 'container.state').filter((e) => (e.previous ?? false) === previous);
const containerLimits = (ev: Evidence[]) => ofKind(ev, 'limits').filter((e) => e.scope === 'container');
const podLimits = (ev: Evidence[]) => ofKind(ev, 'limits').filter((e) => e.scope === 'pod');
const status = (ev: Evidence[]) => ofKind(ev, 'pod.status')[0]!;
const runtime = (ev: Evidence[]) => ofKind(ev, 'runtime')[0]!;

interface Case {
  fixture: string;
  pod: string;
  previous?: Partial<ContainerStateEvidence>;
  current?: Partial<ContainerStateEvidence>;
  limit?: Partial<LimitsEvidence>;
  podLimitBytes?: number | null;
  status?: Partial<PodStatusEvidence>;
  runtime?: Partial<RuntimeEvidence['settings']>;
}

const cases: Case[] = [
  {
    fixture: 'pod-oomkilled-crashloop.json', pod: 'checkout-api-6d8f7b9c54-x7k2p',
    previous: { status: 'terminated', exitCode: 137, reason: 'OOMKilled', oomKilled: true, restartCount: 14, waitingReason: 'CrashLoopBackOff', startedAt: '2024-05-14T09:17:05Z', finishedAt: '2024-05-14T09:17:43Z', image: 'registry.example.com/shop/checkout-api:2.14.3' },
    current: { status: 'waiting', reason: 'CrashLoopBackOff', waitingReason: 'CrashLoopBackOff', restartCount: 14 },
    limit: { memoryLimitBytes: 256 * Mi, memoryRequestBytes: 128 * Mi, cpu: '500m' },
    podLimitBytes: 256 * Mi,
    status: { phase: 'Running', qosClass: 'Burstable', startTime: '2024-05-14T08:02:11Z', terminationGracePeriodSeconds: 30, owners: [{ kind: 'ReplicaSet', name: 'checkout-api-6d8f7b9c54' }] },
  },
  {
    fixture: 'pod-oomkilled-nolimit.yaml', pod: 'report-worker-5f9c7d8b6-q4wzt',
    previous: { exitCode: 137, reason: 'OOMKilled', oomKilled: true, restartCount: 2 },
    current: { status: 'running', startedAt: '2024-05-14T03:12:08Z' },
    limit: { memoryLimitBytes: null },
    podLimitBytes: null,
    status: { qosClass: 'BestEffort' },
    runtime: { runtime: 'python', workersFromCpuCount: true },
  },
  {
    fixture: 'pod-evicted-memory-pressure.json', pod: 'web-frontend-7b9d5c6f48-mz8rt',
    current: { status: 'terminated', exitCode: 137, reason: 'Error', oomKilled: false, restartCount: 0 },
    limit: { memoryLimitBytes: 2 * Gi, memoryRequestBytes: 256 * Mi },
    podLimitBytes: 2 * Gi,
    status: { phase: 'Failed', reason: 'Evicted', qosClass: 'Burstable' },
  },
  {
    fixture: 'pod-liveness-probe-killed.json', pod: 'search-gateway-84c6d7f9b5-tn5vd',
    previous: { exitCode: 137, reason: 'Error', oomKilled: false, restartCount: 6 },
    current: { status: 'running' },
    limit: { memoryLimitBytes: Gi, memoryRequestBytes: Gi, cpu: '1' },
    status: { qosClass: 'Guaranteed' },
    runtime: { runtime: 'node', nodeMaxOldSpaceMb: 768 },
  },
  {
    fixture: 'pod-deleted-grace-period.json', pod: 'order-events-consumer-5c8b7d6f9-hp2lw',
    current: { status: 'terminated', exitCode: 137, reason: 'Error', finishedAt: '2024-05-16T14:02:41Z' },
    status: { phase: 'Failed', deletionTimestamp: '2024-05-16T14:02:40Z', terminating: true, terminationGracePeriodSeconds: 30, deletionGracePeriodSeconds: 30 },
    runtime: { runtime: 'python' },
  },
  {
    fixture: 'pod-java-xmx-equals-limit.yaml', pod: 'ledger-service-7f6b8c9d5-r2k8j',
    previous: { exitCode: 137, reason: 'OOMKilled', oomKilled: true, restartCount: 4 },
    limit: { memoryLimitBytes: 512 * Mi },
    runtime: { runtime: 'jvm', jvmXmxBytes: 512 * Mi },
  },
  {
    fixture: 'pod-node-old-no-heap-flag.json', pod: 'image-resizer-6c9f8d7b5-vw3nx',
    previous: { exitCode: 137, reason: 'OOMKilled', oomKilled: true, restartCount: 3 },
    limit: { memoryLimitBytes: Gi, memoryRequestBytes: 512 * Mi },
    runtime: { runtime: 'node', runtimeVersion: 14 },
  },
  {
    fixture: 'pod-manifest-sidecar-init.yaml', pod: 'catalog-indexer',
    // max(app 512Mi + sidecar 256Mi, sidecar 256Mi + init 1Gi)
    podLimitBytes: 1280 * Mi,
    status: { qosClass: 'Guaranteed', terminationGracePeriodSeconds: 60 },
  },
];

describe('kubernetes.pod: kubectl get pod -o json|yaml', () => {
  test.each(cases)('$fixture', async (c) => {
    const ev = await read(c.fixture);
    for (const e of ev) {
      expect(e.cite.file).toBe(fx(c.fixture));
      expect(e.subject).toMatchObject({ platform: 'kubernetes', pod: c.pod });
    }
    if (c.previous) expect(states(ev, true)[0]).toMatchObject({ ...c.previous, previous: true });
    else expect(states(ev, true)).toHaveLength(0);
    if (c.current) expect(states(ev, false)[0]).toMatchObject(c.current);
    if (c.limit) expect(containerLimits(ev)[0]).toMatchObject(c.limit);
    if (c.podLimitBytes === null) expect(podLimits(ev)).toHaveLength(0);
    else if (c.podLimitBytes !== undefined) expect(podLimits(ev)).toEqual([expect.objectContaining({ memoryLimitBytes: c.podLimitBytes })]);
    if (c.status) expect(status(ev)).toMatchObject(c.status);
    if (c.runtime) expect(runtime(ev).settings).toMatchObject(c.runtime);
  });

  test('subject and cite of an OOMKilled previous run: pod UID, node, container id without its runtime prefix', async () => {
    const prev = states(await read('pod-oomkilled-crashloop.json'), true)[0]!;
    expect(prev.subject).toEqual({
      platform: 'kubernetes', pod: 'checkout-api-6d8f7b9c54-x7k2p', namespace: 'shop', podUid: '7c1e2a9b-4f3d-4e8a-9b6c-2d5f8a1e3c47',
      node: 'ip-10-42-3-117.eu-west-1.compute.internal', containerName: 'app', containerId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(prev.cite.at).toBe('status.containerStatuses[0].lastState.terminated.reason');
    expect(prev.cite.excerpt).toContain('"reason":"OOMKilled"');
  });

  test('the previous run keeps its own container id; the restarted container has another', async () => {
    const ev = await read('pod-oomkilled-nolimit.yaml');
    const cur = states(ev, false)[0]!;
    const prev = states(ev, true)[0]!;
    expect(cur.subject.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(prev.subject.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(prev.subject.containerId).not.toBe(cur.subject.containerId);
  });

  test('evicted pod: the kubelet message and the DisruptionTarget condition', async () => {
    const s = status(await read('pod-evicted-memory-pressure.json'));
    expect(s.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 100Mi, available: 61236Ki\. Container web was using 1843212Ki, request is 256Mi/);
    expect(s.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet' }));
    expect(s.cite.at).toBe('status.reason');
  });

  test('a List of two pods: evidence for each, cited inside items[]', async () => {
    const ev = await read('podlist-two-pods.json');
    expect(ofKind(ev, 'pod.status').map((e) => [e.subject.pod, e.cite.at])).toEqual([
      ['checkout-api-6d8f7b9c54-bq9zr', 'items[0].status.phase'],
      ['checkout-api-6d8f7b9c54-j4mtd', 'items[1].status.phase'],
    ]);
    expect(states(ev, true)).toEqual([expect.objectContaining({ reason: 'OOMKilled', restartCount: 9, subject: expect.objectContaining({ pod: 'checkout-api-6d8f7b9c54-bq9zr' }) })]);
    expect(states(ev, true)[0]!.cite.at).toBe('items[0].status.containerStatuses[0].lastState.terminated.reason');
  });

  test('init containers and a native sidecar: limits per container, QoS computed when status has none', async () => {
    const ev = await read('pod-manifest-sidecar-init.yaml');
    expect(containerLimits(ev).map((l) => [l.subject.containerName, l.memoryLimitBytes, l.memoryRequestBytes])).toEqual([
      ['istio-proxy', 256 * Mi, 256 * Mi], ['migrate', Gi, Gi], ['indexer', 512 * Mi, 512 * Mi],
    ]);
    expect(ofKind(ev, 'container.state')).toHaveLength(0);
    expect(ofKind(ev, 'runtime').find((r) => r.subject.containerName === 'indexer')!.settings).toMatchObject({ runtime: 'go', goMemLimitBytes: 450 * Mi });
  });

  test('secret values from env and args reach no evidence; env names do', async () => {
    const ev = await read('pod-env-secret-values.json');
    const json = JSON.stringify(ev);
    expect(json).not.toContain('hunter2');
    const rt = runtime(ev);
    expect(rt.settings.envNames).toEqual(['DATABASE_HOST', 'DATABASE_PASSWORD', 'DATABASE_URL', 'STRIPE_API_KEY', 'POD_NAME', 'MEMORY_LIMIT', 'JAVA_TOOL_OPTIONS']);
    expect(rt.settings).toMatchObject({ runtime: 'jvm', jvmMaxRamPercentage: 75 });
    expect(rt.command).toEqual(['java', '-jar', '/app/sync.jar', '--db-password=<redacted>', '--token', '<redacted>', '--dsn=postgres://billing:<redacted>@db.billing.svc:5432/billing']);
    // A literal that is not a secret also stays out: values are never kept, whatever their name.
    expect(json).not.toContain('db.billing.svc"');
  });

  test('JSON and YAML of the same pod give the same evidence', async () => {
    const json = readFileSync(fx('pod-oomkilled-crashloop.json'), 'utf8');
    const yamlFile = path.join(tmp, 'pod-oomkilled-crashloop.yaml');
    writeFileSync(yamlFile, stringify(JSON.parse(json)));
    const fromJson = (await readArtifact(fx('pod-oomkilled-crashloop.json'))).evidence;
    const fromYaml = (await readArtifact(yamlFile)).evidence;
    const strip = (ev: Evidence[]) => ev.map((e) => ({ ...e, cite: { ...e.cite, file: '' } }));
    expect(strip(fromYaml)).toEqual(strip(fromJson));
  });

  test('parse directly gives what readArtifact gives', async () => {
    const doc: unknown = JSON.parse(readFileSync(fx('pod-liveness-probe-killed.json'), 'utf8'));
    expect(kubernetesPod.detect(doc)).toBe(true);
    expect(kubernetesPod.parse(doc, fx('pod-liveness-probe-killed.json'))).toEqual((await readArtifact(fx('pod-liveness-probe-killed.json'))).evidence);
  });

  test.each([
    ['a Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }],
    ['a Pod of another apiVersion', { apiVersion: 'v2', kind: 'Pod' }],
    ['a mixed List', { apiVersion: 'v1', kind: 'List', items: [{ kind: 'Pod' }, { kind: 'Event' }] }],
    ['an empty List', { apiVersion: 'v1', kind: 'List', items: [] }],
    ['an array', [{ kind: 'Pod', apiVersion: 'v1' }]],
    ['a string', 'Pod'],
  ])('detect rejects %s', (_what, doc) => {
    expect(kubernetesPod.detect(doc)).toBe(false);
  });

  test.each([
    ['no spec.containers', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} }, /p: Pod p has no spec\.containers/],
    ['no name', { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'a' }] } }, /without metadata\.name/],
    ['an impossible quantity', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', resources: { limits: { memory: '512MB' } } }] } }, /spec\.containers\[0\]\.resources\.limits\.memory is "512MB"/],
    ['a PodList without items', { apiVersion: 'v1', kind: 'PodList' }, /without an items list/],
  ])('a recognised Pod with %s is invalid, with one line naming the file', async (_what, doc, message) => {
    const file = path.join(tmp, 'p');
    writeFileSync(file, JSON.stringify(doc));
    const err = await readArtifact(file).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Why137Error);
    expect(err).toMatchObject({ code: 'why137_artifact_invalid' });
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('Kubernetes QoS and pod cgroup rules', () => {
  const c = (role: 'app' | 'init' | 'sidecar', limits: { cpu?: number; memory?: number }, requests: { cpu?: number; memory?: number } = {}) => ({ role, limits, requests });
  test.each([
    ['nothing set', 'BestEffort', [c('app', {})]],
    ['limits only (requests default to them)', 'Guaranteed', [c('app', { cpu: 1, memory: Gi })]],
    ['requests below limits', 'Burstable', [c('app', { cpu: 1, memory: Gi }, { cpu: 0.5, memory: Gi })]],
    ['memory limit without cpu limit', 'Burstable', [c('app', { memory: Gi })]],
    ['one container without limits', 'Burstable', [c('app', { cpu: 1, memory: Gi }), c('app', {})]],
    ['an init container without limits', 'Burstable', [c('init', {}, { memory: Mi }), c('app', { cpu: 1, memory: Gi })]],
  ] as const)('%s → %s', (_what, qos, containers) => {
    expect(qosClass(containers)).toBe(qos);
  });

  test.each([
    ['app containers sum', [c('app', { memory: Gi }), c('app', { memory: 512 * Mi })], 0, 1536 * Mi],
    ['one container without a limit: no pod limit', [c('app', { memory: Gi }), c('app', {})], 0, null],
    ['an init container larger than the apps', [c('init', { memory: 2 * Gi }), c('app', { memory: Gi })], 0, 2 * Gi],
    ['a sidecar adds to the apps and to later init containers', [c('sidecar', { memory: 256 * Mi }), c('init', { memory: Gi }), c('app', { memory: 512 * Mi })], 0, 1280 * Mi],
    ['pod overhead is added', [c('app', { memory: Gi })], 64 * Mi, Gi + 64 * Mi],
  ] as const)('%s', (_what, containers, overhead, bytes) => {
    expect(podMemoryLimit(containers, overhead)).toBe(bytes);
  });

  test('redactArgs hides credential flags and URL passwords, keeps memory flags', () => {
    expect(redactArgs(['-Xmx512m', '--max-old-space-size=400', '--password', 's3cret', '--api-key=abc', '-Ddb.password=x', 'https://u:p@h/x', '--workers', '4']))
      .toEqual(['-Xmx512m', '--max-old-space-size=400', '--password', '<redacted>', '--api-key=<redacted>', '-Ddb.password=<redacted>', 'https://u:<redacted>@h/x', '--workers', '4']);
  });
});
