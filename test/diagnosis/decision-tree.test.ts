import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import {
  ids, state, limits, runtime, pod, event, node, oom, coverage, dockerEvent, ecsTask, invocation, lambdaError, heap,
} from '../helpers/evidence-builders.js';

const MiB = 1024 * 1024;
const dk = { platform: 'docker' as const, containerId: ids.a, containerName: 'web' };
const k8s = { platform: 'kubernetes' as const, pod: 'web-7d9c8b5f4-x2x9z', namespace: 'shop', podUid: ids.uid, containerName: 'app', containerId: ids.a, node: 'node-1' };
const ecs = { platform: 'ecs' as const, taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef', taskId: '0123456789abcdef0123456789abcdef', cluster: 'prod', containerName: 'api' };
const fnS = { platform: 'lambda' as const, functionName: 'fn' };

interface Row { name: string; evidence: Evidence[]; cause: string; confidence?: string; factors?: string[]; absentFactors?: string[]; summary?: RegExp; setAside?: number; next?: RegExp }

const rows: Row[] = [
  { name: 'docker: OOMKilled with a limit is a cgroup OOM', evidence: [state(dk, { oomKilled: true, exitCode: 137 }), limits(dk, 32 * MiB)], cause: 'cgroup_oom', confidence: 'high' },
  { name: 'docker: OOMKilled with main process exit 3 (a child was killed) is still a cgroup OOM', evidence: [state(dk, { oomKilled: true, exitCode: 3 }), limits(dk, 32 * MiB)], cause: 'cgroup_oom', summary: /child process/ },
  { name: 'docker: OOMKilled without a hard limit means the host ran out', evidence: [state(dk, { oomKilled: true, exitCode: 137 }), limits(dk, null)], cause: 'host_oom', factors: ['no_memory_limit'] },
  { name: 'docker: 137 with a limit and no OOM flag is an external SIGKILL', evidence: [state(dk, { oomKilled: false, exitCode: 137 }), limits(dk, 64 * MiB)], cause: 'external_sigkill', confidence: 'medium' },
  { name: 'docker: docker kill (signal 9, no SIGTERM first) is a high-confidence external SIGKILL', evidence: [state(dk, { oomKilled: false, exitCode: 137 }), limits(dk, 64 * MiB), dockerEvent(dk, 'kill', { signal: 9 }), dockerEvent(dk, 'die', { exitCode: 137 })], cause: 'external_sigkill', confidence: 'high' },
  { name: 'docker: 137, OOMKilled false, no limit, no kernel log is unknown and asks for the kernel log', evidence: [state(dk, { oomKilled: false, exitCode: 137 }), limits(dk, null)], cause: 'unknown', factors: ['no_memory_limit'], next: /dmesg/ },
  { name: 'docker: SIGTERM then SIGKILL from the engine is a stop timeout', evidence: [state(dk, { exitCode: 137, oomKilled: false }), limits(dk, null), dockerEvent(dk, 'kill', { signal: 15, time: '2026-11-23T10:00:00Z' }), dockerEvent(dk, 'kill', { signal: 9, time: '2026-11-23T10:00:10Z' }), dockerEvent(dk, 'stop')], cause: 'stop_timeout' },
  { name: 'docker: exit 143 is a handled SIGTERM, not a kill', evidence: [state(dk, { exitCode: 143, oomKilled: false })], cause: 'unknown', summary: /SIGTERM, handled/ },
  { name: 'kernel: a global OOM (CONSTRAINT_NONE) tied to the container is a host OOM', evidence: [state(dk, { exitCode: 137, oomKilled: false }), limits(dk, null), oom({ containerId: ids.a }, { scope: 'global', constraint: 'CONSTRAINT_NONE', process: 'java', pid: 4242, taskCgroup: `/system.slice/docker-${ids.a}.scope` }), coverage()], cause: 'host_oom', factors: ['no_memory_limit', 'node_memory_pressure'] },
  { name: 'kernel: a memcg OOM whose limit is the node-level /kubepods cgroup is a host OOM', evidence: [state(k8s, { oomKilled: true, exitCode: 137, previous: true }), limits(k8s, 512 * MiB), oom({ containerId: ids.a, podUid: ids.uid }, { constraint: 'CONSTRAINT_MEMCG', limitCgroup: '/kubepods', taskCgroup: `/kubepods/burstable/pod${ids.uid}/${ids.a}`, process: 'node', pid: 77 })], cause: 'host_oom', summary: /kubepods/ },
  { name: 'kernel: a memcg OOM at the pod cgroup is the pod\'s own limit', evidence: [state(k8s, { oomKilled: true, exitCode: 137 }), limits(k8s, 512 * MiB), oom({ containerId: ids.a, podUid: ids.uid }, { constraint: 'CONSTRAINT_MEMCG', limitCgroup: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${ids.uid.replace(/-/g, '_')}.slice`, taskCgroup: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${ids.uid.replace(/-/g, '_')}.slice/cri-containerd-${ids.a}.scope` })], cause: 'cgroup_oom', confidence: 'high' },
  { name: 'kernel: a global OOM of this very container counts even when dmesg -T\'s clock is hours off', evidence: [state(dk, { exitCode: 137, oomKilled: false, restartCount: 0, finishedAt: '2026-11-23T15:00:00Z' }), limits(dk, 64 * MiB), oom({ containerId: ids.a }, { scope: 'global', constraint: 'CONSTRAINT_NONE', process: 'java', pid: 4242, time: '2026-11-23T10:00:01Z' }), coverage()], cause: 'host_oom' },
  { name: 'kernel: an hours-old OOM of a docker container that has restarted since is an earlier run', evidence: [state(dk, { exitCode: 137, oomKilled: false, restartCount: 2, finishedAt: '2026-11-23T15:00:00Z' }), limits(dk, 64 * MiB), oom({ containerId: ids.a }, { scope: 'global', constraint: 'CONSTRAINT_NONE', process: 'java', pid: 4242, time: '2026-11-23T10:00:01Z' })], cause: 'external_sigkill' },
  { name: 'kernel: an OOM about another container is set aside, and the covering log proves memory was not it', evidence: [state(dk, { exitCode: 137, oomKilled: false }), limits(dk, null), oom({ containerId: ids.b }, { taskCgroup: `/docker/${ids.b}`, limitCgroup: `/docker/${ids.b}` }), coverage()], cause: 'external_sigkill', setAside: 1 },
  { name: 'kubernetes: OOMKilled with a limit and a healthy node is a cgroup OOM', evidence: [state(k8s, { oomKilled: true, reason: 'OOMKilled', exitCode: 137 }), limits(k8s, 256 * MiB), node('node-1', { memoryPressure: false })], cause: 'cgroup_oom' },
  { name: 'kubernetes: OOMKilled while the node has MemoryPressure points to the host', evidence: [state(k8s, { oomKilled: true, exitCode: 137 }), limits(k8s, 256 * MiB), node('node-1', { memoryPressure: true })], cause: 'host_oom', confidence: 'medium', factors: ['node_memory_pressure'] },
  { name: 'kubernetes: SystemOOM from a 1.19 kubelet is not counted without a kernel log', evidence: [state(k8s, { oomKilled: true, exitCode: 137 }), limits(k8s, 256 * MiB), node('node-1', { kubeletVersion: 'v1.19.16' }), event({ platform: 'kubernetes', node: 'node-1' }, 'SystemOOM', 'System OOM encountered, victim process: node, pid: 77', { involvedKind: 'Node' })], cause: 'cgroup_oom' },
  { name: 'kubernetes: SystemOOM from a 1.27 kubelet points to the host', evidence: [state(k8s, { oomKilled: true, exitCode: 137 }), limits(k8s, 256 * MiB), node('node-1', { kubeletVersion: 'v1.27.3' }), event({ platform: 'kubernetes', node: 'node-1' }, 'SystemOOM', 'System OOM encountered, victim process: node, pid: 77', { involvedKind: 'Node' })], cause: 'host_oom' },
  { name: 'kubernetes: a liveness kill is a probe failure', evidence: [state(k8s, { exitCode: 137, reason: 'Error', previous: true }), limits(k8s, 256 * MiB), event(k8s, 'Unhealthy', 'Liveness probe failed: Get "http://10.0.0.5:8080/healthz": context deadline exceeded', { count: 3 }), event(k8s, 'Killing', 'Container app failed liveness probe, will be restarted')], cause: 'probe_failure', confidence: 'high' },
  { name: 'kubernetes: failed probes beside OOMKilled do not outrank the OOM', evidence: [state(k8s, { exitCode: 137, reason: 'OOMKilled', oomKilled: true }), limits(k8s, 256 * MiB), event(k8s, 'Unhealthy', 'Liveness probe failed: timeout'), event(k8s, 'Killing', 'Container app failed liveness probe, will be restarted')], cause: 'cgroup_oom' },
  { name: 'kubernetes: an eviction for memory', evidence: [state(k8s, { exitCode: 137, reason: 'ContainerStatusUnknown' }), pod(k8s, { reason: 'Evicted', message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 52Mi. Container app was using 1.2Gi, request is 256Mi, has larger consumption of its request.', qosClass: 'Burstable' })], cause: 'eviction', factors: ['burstable_qos', 'node_memory_pressure'], summary: /1\.2 GiB/ },
  { name: 'kubernetes: a deleted pod that ignored SIGTERM is a stop timeout', evidence: [state(k8s, { exitCode: 137, reason: 'Error' }), limits(k8s, 256 * MiB), pod(k8s, { deletionTimestamp: '2026-11-23T10:00:00Z', terminationGracePeriodSeconds: 30 }), event(k8s, 'Killing', 'Stopping container app')], cause: 'stop_timeout', summary: /30-second/ },
  { name: 'kubernetes: a forced delete (grace period 0) is an external SIGKILL, not a stop timeout', evidence: [state(k8s, { exitCode: 137, reason: 'Error' }), pod(k8s, { deletionTimestamp: '2026-11-23T10:00:00Z', deletionGracePeriodSeconds: 0, terminationGracePeriodSeconds: 30 }), event(k8s, 'Killing', 'Stopping container app')], cause: 'external_sigkill', confidence: 'high' },
  { name: 'kubernetes: a node shutdown that outlasted the pod\'s grace is a stop timeout', evidence: [state(k8s, { exitCode: 137, reason: 'Error' }), pod(k8s, { phase: 'Failed', reason: 'Terminated', message: 'Pod was terminated in response to imminent node shutdown.' })], cause: 'stop_timeout' },
  { name: 'kubernetes: OOM loop during warm-up', evidence: [state(k8s, { oomKilled: true, exitCode: 137, previous: true, restartCount: 6, startedAt: '2026-11-23T10:00:00Z', finishedAt: '2026-11-23T10:00:40Z' }), state(k8s, { waitingReason: 'CrashLoopBackOff', restartCount: 6, status: 'waiting' }), limits(k8s, 256 * MiB), pod(k8s, { qosClass: 'Burstable' })], cause: 'cgroup_oom', factors: ['burstable_qos', 'oom_loop'] },
  { name: 'kubernetes: Node 14 without --max-old-space-size does not know its limit', evidence: [state(k8s, { oomKilled: true, exitCode: 137 }), limits(k8s, 1024 * MiB), runtime(k8s, { runtime: 'node', runtimeVersion: 14 })], cause: 'cgroup_oom', factors: ['runtime_unaware_of_limit'] },
  { name: 'kubernetes: Node 20 sizes its heap from the cgroup: no runtime factor', evidence: [state(k8s, { oomKilled: true, exitCode: 137 }), limits(k8s, 1024 * MiB), runtime(k8s, { runtime: 'node', runtimeVersion: 20 })], cause: 'cgroup_oom', absentFactors: ['runtime_unaware_of_limit'] },
  { name: 'kubernetes: -Xmx equal to the limit is a guaranteed 137', evidence: [state(k8s, { oomKilled: true, exitCode: 137 }), limits(k8s, 512 * MiB), runtime(k8s, { runtime: 'jvm', runtimeVersion: 17, jvmXmxBytes: 512 * MiB, settingSources: { jvmXmxBytes: 'JAVA_TOOL_OPTIONS' } })], cause: 'cgroup_oom', factors: ['heap_at_or_above_limit'], absentFactors: ['runtime_unaware_of_limit'] },
  { name: 'kubernetes: Go without GOMEMLIMIT', evidence: [state(k8s, { oomKilled: true, exitCode: 137 }), limits(k8s, 512 * MiB), runtime(k8s, { runtime: 'go' })], cause: 'cgroup_oom', factors: ['runtime_unaware_of_limit'] },
  { name: 'ecs: OutOfMemoryError on EC2 with only a soft reservation is a host OOM', evidence: [state(ecs, { exitCode: 137, oomKilled: true, reason: 'OutOfMemoryError: Container killed due to memory usage' }), ecsTask(ecs, { launchType: 'EC2', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }), limits(ecs, null, { memoryReservationBytes: 256 * MiB })], cause: 'host_oom', factors: ['soft_limit_only', 'no_memory_limit'] },
  { name: 'ecs: OutOfMemoryError on Fargate is the task\'s own limit', evidence: [state(ecs, { exitCode: 137, oomKilled: true }), ecsTask(ecs, { launchType: 'FARGATE', stoppedReason: 'OutOfMemoryError: Container killed due to memory usage' }), limits(ecs, null), limits(ecs, 512 * MiB, { scope: 'task', launchType: 'FARGATE' })], cause: 'cgroup_oom', absentFactors: ['no_memory_limit', 'soft_limit_only'] },
  { name: 'ecs: a scale-in with exit 137 is a stop timeout', evidence: [state(ecs, { exitCode: 137 }), ecsTask(ecs, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1234567890123456789)' })], cause: 'stop_timeout' },
  { name: 'ecs: a health-check stop (also ServiceSchedulerInitiated) is a probe failure', evidence: [state(ecs, { exitCode: 137 }), ecsTask(ecs, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks' })], cause: 'probe_failure' },
  { name: 'lambda: signal killed with REPORT at Memory Size', evidence: [invocation({ requestId: 'r1', memorySizeMb: 512, maxMemoryUsedMb: 512 }), lambdaError('Runtime exited with error: signal: killed', { requestId: 'r1', signal: 'killed', errorType: 'Runtime.ExitError' })], cause: 'lambda_oom', confidence: 'high' },
  { name: 'lambda: killed with no REPORT line is medium and asks for Insights', evidence: [lambdaError('Runtime exited with error: signal: killed', { requestId: 'r9', signal: 'killed' })], cause: 'lambda_oom', confidence: 'medium', next: /start-query/ },
  { name: 'lambda: monotonic growth across warm invocations is a leak; a survivor at 90% is near the limit', evidence: [
    invocation({ requestId: 'r1', memorySizeMb: 512, maxMemoryUsedMb: 200, initDurationMs: 300 }), invocation({ requestId: 'r2', memorySizeMb: 512, maxMemoryUsedMb: 280 }),
    invocation({ requestId: 'r3', memorySizeMb: 512, maxMemoryUsedMb: 370 }), invocation({ requestId: 'r4', memorySizeMb: 512, maxMemoryUsedMb: 460 }),
    invocation({ requestId: 'r5', memorySizeMb: 512, maxMemoryUsedMb: 512 }), lambdaError('Runtime exited with error: signal: killed', { requestId: 'r5', signal: 'killed' })], cause: 'lambda_oom', factors: ['memory_leak', 'near_limit'] },
  { name: 'lambda: a plateau is not a leak', evidence: [
    invocation({ requestId: 'r1', memorySizeMb: 512, maxMemoryUsedMb: 300, initDurationMs: 300 }), invocation({ requestId: 'r2', memorySizeMb: 512, maxMemoryUsedMb: 340 }),
    invocation({ requestId: 'r3', memorySizeMb: 512, maxMemoryUsedMb: 341 }), invocation({ requestId: 'r4', memorySizeMb: 512, maxMemoryUsedMb: 341 }),
    invocation({ requestId: 'r5', memorySizeMb: 512, maxMemoryUsedMb: 341 }), lambdaError('Runtime exited with error: signal: killed', { requestId: 'r6', signal: 'killed' })], cause: 'lambda_oom', absentFactors: ['memory_leak', 'near_limit'] },
  { name: 'runtime: a Node heap abort (exit 134) is the runtime\'s own limit', evidence: [state(dk, { exitCode: 134, oomKilled: false }), limits(dk, 1024 * MiB), heap(dk, 'node', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')], cause: 'runtime_heap_limit' },
  { name: 'runtime: a heap message in a Lambda without a kill is the runtime\'s limit', evidence: [heap(fnS, 'node', 'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory'), lambdaError('Runtime exited with error: signal: aborted', { signal: 'aborted', errorType: 'Runtime.ExitError' })], cause: 'runtime_heap_limit' },
];

describe('decision tree', () => {
  test.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const v = diagnose(row.evidence);
    expect(v.cause).toBe(row.cause);
    if (row.confidence) expect(v.confidence).toBe(row.confidence);
    const codes = v.factors.map((f) => f.code);
    for (const f of row.factors ?? []) expect(codes).toContain(f);
    for (const f of row.absentFactors ?? []) expect(codes).not.toContain(f);
    if (row.summary) expect(v.summary).toMatch(row.summary);
    if (row.setAside !== undefined) expect(v.setAside).toHaveLength(row.setAside);
    if (row.next) expect(v.next.map((n) => n.command).join('\n')).toMatch(row.next);
    if (v.cause !== 'unknown' || v.evidence.length) expect(v.evidence.length).toBeGreaterThan(0);
    for (const e of v.evidence) { expect(e.file).toBeTruthy(); expect(e.at).toBeTruthy(); expect(e.claim).toBeTruthy(); }
  });

  test('every unknown names the next command to run', () => {
    const v = diagnose([state(dk, { exitCode: 137, oomKilled: false })]);
    expect(v.cause).toBe('unknown');
    expect(v.next.length).toBeGreaterThan(0);
    expect(v.next.every((n) => n.command.length > 0)).toBe(true);
  });
});

describe('JVM container awareness', () => {
  const k = { platform: 'kubernetes' as const, pod: 'p', namespace: 'n', containerName: 'c' };
  test.each([
    ['8u181 without -Xmx sizes from the host', { runtime: 'jvm' as const, runtimeVersion: 8, jvmUpdate: 181 }, true],
    ['8u181 with -XX:+UseCGroupMemoryLimitForHeap knows its limit', { runtime: 'jvm' as const, runtimeVersion: 8, jvmUpdate: 181, jvmCgroupHeapFlag: true }, false],
    ['8u202 is container-aware', { runtime: 'jvm' as const, runtimeVersion: 8, jvmUpdate: 202 }, false],
    ['17 is container-aware', { runtime: 'jvm' as const, runtimeVersion: 17 }, false],
    ['17 with -XX:-UseContainerSupport is not', { runtime: 'jvm' as const, runtimeVersion: 17, jvmContainerSupportDisabled: true }, true],
  ])('%s', (_n, settings, unaware) => {
    const v = diagnose([state(k, { oomKilled: true, exitCode: 137 }), limits(k, 512 * MiB), runtime(k, settings)]);
    expect(v.factors.some((f) => f.code === 'runtime_unaware_of_limit')).toBe(unaware);
  });
});
