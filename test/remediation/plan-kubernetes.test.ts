import type { Subject } from '../../src/diagnosis/evidence.js';
import { MiB, checkCase, event, heapAbort, kernelOom, limits, pod, runtime, sample, verdict, type Case } from './build.js';

const web: Subject & { platform: 'kubernetes' } = { platform: 'kubernetes', namespace: 'shop', pod: 'web-7d9c8b5f4-x2x9z', containerName: 'app', node: 'ip-10-0-1-7' };
const owned = pod(web, { owners: [{ kind: 'ReplicaSet', name: 'web-7d9c8b5f4' }], qosClass: 'Burstable', terminationGracePeriodSeconds: 30 });
const LIMIT = 'spec.template.spec.containers[app].resources.limits.memory';
const REQUEST = 'spec.template.spec.containers[app].resources.requests.memory';

/** What every executable proposal's edit names on this target. */
const onWeb = { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'Deployment', name: 'web' }, container: 'app' } as const;

const cases: Case[] = [
  {
    name: 'cgroup_oom, Node 16 unaware of the limit, Burstable: heap ceiling first, then limit + requests with the ceiling re-sized',
    verdict: verdict('cgroup_oom', web, { peakBytes: 500 * MiB, factors: ['runtime_unaware_of_limit', 'burstable_qos'] }),
    evidence: [limits(web, 512 * MiB, { memoryRequestBytes: 256 * MiB }), runtime(web, { runtime: 'node', runtimeVersion: 16, envNames: ['PORT'] }), owned],
    expect: [
      {
        id: 'set_runtime_heap:kubernetes:app', edit: { ...onWeb, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '384' }] }, executable: true,
        changes: [{ field: 'NODE_OPTIONS --max-old-space-size', before: null, after: '384' }],
        command: ['kubectl set env deployment/web -n shop -c app NODE_OPTIONS=--max-old-space-size=384'],
      },
      {
        id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '768Mi', requestsMemory: '768Mi', env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '576' }] }, executable: true,
        changes: [
          { field: LIMIT, before: '512Mi', after: '768Mi' },
          { field: REQUEST, before: '256Mi', after: '768Mi' },
          { field: 'NODE_OPTIONS --max-old-space-size', before: null, after: '576' },
        ],
        command: [
          'kubectl set resources deployment/web -n shop -c app --limits=memory=768Mi --requests=memory=768Mi',
          'kubectl set env deployment/web -n shop -c app NODE_OPTIONS=--max-old-space-size=576',
        ],
        why: ['only moves the cliff', 'max(peak, limit) × 1.5', 'Guaranteed'],
        risk: ['only moves the cliff'],
      },
    ],
  },
  {
    name: 'cgroup_oom without factors: only the limit, 128Mi steps above 1Gi, no requests change',
    verdict: verdict('cgroup_oom', web, { peakBytes: 1000 * MiB, limitBytes: 1024 * MiB }),
    evidence: [limits(web, 1024 * MiB, { memoryRequestBytes: 1024 * MiB }), owned],
    expect: [{
      id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '1536Mi' }, executable: true,
      changes: [{ field: LIMIT, before: '1Gi', after: '1536Mi' }],
      command: ['kubectl set resources deployment/web -n shop -c app --limits=memory=1536Mi'],
      notCommand: ['--requests'],
    }],
  },
  {
    name: 'cgroup_oom above 4Gi: 256Mi steps',
    verdict: verdict('cgroup_oom', web, { peakBytes: 2800 * MiB }),
    evidence: [limits(web, 2900 * MiB), owned],
    expect: [{ id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '4352Mi' }, changes: [{ field: LIMIT, before: '2900Mi', after: '4352Mi' }] }],
  },
  {
    name: 'cgroup_oom, JVM -Xmx at the limit: MaxRAMPercentage replaces -Xmx first, then the limit (no heap flag needed, it follows)',
    verdict: verdict('cgroup_oom', web, { factors: ['heap_at_or_above_limit'] }),
    evidence: [
      limits(web, 1024 * MiB), owned,
      runtime(web, { runtime: 'jvm', runtimeVersion: 17, jvmXmxBytes: 1024 * MiB, envNames: ['JAVA_TOOL_OPTIONS', 'DB_PASSWORD'], settingSources: { jvmXmxBytes: 'JAVA_TOOL_OPTIONS' } }),
    ],
    expect: [
      {
        id: 'set_jvm_ram_percentage:kubernetes:app', edit: { ...onWeb, env: [{ name: 'JAVA_TOOL_OPTIONS', flag: '-XX:MaxRAMPercentage', value: '75', remove: ['-Xmx', '-XX:MaxHeapSize', '-XX:-UseContainerSupport'] }] }, executable: true,
        changes: [
          { field: 'JAVA_TOOL_OPTIONS -XX:MaxRAMPercentage', before: null, after: '75' },
          { field: 'JAVA_TOOL_OPTIONS -Xmx', before: '1g', after: '(removed)' },
        ],
        command: ['kubectl set env deployment/web -n shop -c app JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 $(kubectl get deployment/web', "s/-Xmx[0-9.]+[kKmMgGtT]?//g"],
        notCommand: ['DB_PASSWORD'],
      },
      { id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '1536Mi' }, changes: [{ field: LIMIT, before: '1Gi', after: '1536Mi' }], why: ['heap_at_or_above_limit'] },
    ],
  },
  {
    name: 'cgroup_oom, Java 8 unaware: -Xmx at 75% (MaxRAMPercentage would stop an old JVM from starting)',
    verdict: verdict('cgroup_oom', web, { factors: ['runtime_unaware_of_limit'] }),
    evidence: [limits(web, 2048 * MiB), owned, runtime(web, { runtime: 'jvm', runtimeVersion: 8, envNames: [] })],
    expect: [
      { id: 'set_runtime_heap:kubernetes:app', edit: { ...onWeb, env: [{ name: 'JAVA_TOOL_OPTIONS', flag: '-Xmx', value: '1536m', remove: ['-XX:MaxHeapSize', '-XX:MaxRAMPercentage', '-XX:-UseContainerSupport'] }] }, changes: [{ field: 'JAVA_TOOL_OPTIONS -Xmx', before: null, after: '1536m' }], command: ['JAVA_TOOL_OPTIONS=-Xmx1536m'] },
      {
        id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '3Gi', env: [{ name: 'JAVA_TOOL_OPTIONS', flag: '-Xmx', value: '2304m', remove: ['-XX:MaxHeapSize', '-XX:MaxRAMPercentage', '-XX:-UseContainerSupport'] }] },
        changes: [{ field: LIMIT, before: '2Gi', after: '3Gi' }, { field: 'JAVA_TOOL_OPTIONS -Xmx', before: null, after: '2304m' }],
      },
    ],
  },
  {
    name: 'cgroup_oom, Go without GOMEMLIMIT: GOMEMLIMIT at 90% first, re-sized with the limit',
    verdict: verdict('cgroup_oom', { ...web, containerName: 'api' }, { factors: ['runtime_unaware_of_limit'] }),
    evidence: [limits({ ...web, containerName: 'api' }, 512 * MiB), pod(web, { owners: [{ kind: 'StatefulSet', name: 'api' }] }), runtime({ ...web, containerName: 'api' }, { runtime: 'go', envNames: [] })],
    expect: [
      {
        id: 'set_gomemlimit:kubernetes:api', edit: { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'StatefulSet', name: 'api' }, container: 'api', env: [{ name: 'GOMEMLIMIT', value: '460MiB' }] }, executable: true,
        changes: [{ field: 'GOMEMLIMIT', before: null, after: '460MiB' }],
        command: ['kubectl set env statefulset/api -n shop -c api GOMEMLIMIT=460MiB'],
      },
      {
        id: 'raise_memory_limit:kubernetes:api', edit: { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'StatefulSet', name: 'api' }, container: 'api', limitsMemory: '768Mi', env: [{ name: 'GOMEMLIMIT', value: '691MiB' }] },
        changes: [
          { field: 'spec.template.spec.containers[api].resources.limits.memory', before: '512Mi', after: '768Mi' },
          { field: 'GOMEMLIMIT', before: null, after: '691MiB' },
        ],
        command: ['kubectl set resources statefulset/api -n shop -c api --limits=memory=768Mi', 'GOMEMLIMIT=691MiB'],
      },
    ],
  },
  {
    name: 'cgroup_oom, gunicorn workers from the CPU count: explicit workers from the CPU limit (advice), then the limit',
    verdict: verdict('cgroup_oom', web, { factors: ['runtime_unaware_of_limit'] }),
    evidence: [limits(web, 1024 * MiB, { cpu: '2' }), owned, runtime(web, { runtime: 'python', workersFromCpuCount: true }, ['gunicorn', '-w', '$(nproc)', 'app:app'])],
    expect: [
      { id: 'reduce_workers:kubernetes:app', executable: false, changes: [{ field: 'workers', before: 'CPU count', after: '2' }], command: ['--workers 2'] },
      { id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '1536Mi' }, changes: [{ field: LIMIT, before: '1Gi', after: '1536Mi' }] },
    ],
  },
  {
    name: 'cgroup_oom with a leak (Node 22, aware): leak advice first, the limit says it only moves the cliff',
    verdict: verdict('cgroup_oom', web, { factors: ['memory_leak'] }),
    evidence: [limits(web, 512 * MiB), owned, runtime(web, { runtime: 'node', runtimeVersion: 22 })],
    expect: [
      {
        id: 'investigate_leak:kubernetes:app', executable: false, changes: [],
        command: ['kubectl exec -n shop web-7d9c8b5f4-x2x9z -c app -- kill -USR2 1', '--heapsnapshot-signal=SIGUSR2', 'memory.stat'],
      },
      { id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '768Mi' }, why: ['memory_leak', 'only moves the cliff'], risk: ['only moves the cliff'] },
    ],
  },
  {
    name: 'a bare pod: the pod must be recreated from its manifest, nothing executable',
    verdict: verdict('cgroup_oom', web, { peakBytes: 256 * MiB }),
    evidence: [limits(web, 256 * MiB), pod(web, { owners: [] })],
    expect: [{
      id: 'raise_memory_limit:kubernetes:app', executable: false,
      changes: [{ field: 'spec.containers[app].resources.limits.memory', before: '256Mi', after: '384Mi' }],
      command: ['recreated from its manifest', '384Mi'],
    }],
  },
  {
    name: 'a CronJob\'s Job: the CronJob is patched (jobTemplate path)',
    verdict: verdict('cgroup_oom', web, { peakBytes: 256 * MiB }),
    evidence: [limits(web, 256 * MiB), pod(web, { owners: [{ kind: 'Job', name: 'report-28472910' }] })],
    expect: [{
      id: 'raise_memory_limit:kubernetes:app', edit: { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'CronJob', name: 'report' }, container: 'app', limitsMemory: '384Mi' }, executable: true,
      changes: [{ field: 'spec.jobTemplate.spec.template.spec.containers[app].resources.limits.memory', before: '256Mi', after: '384Mi' }],
      command: ['kubectl set resources cronjob/report -n shop -c app --limits=memory=384Mi'],
    }],
  },
  {
    name: 'a bare ReplicaSet: the command patches it, but no edit (its pods are not replaced), so not executable',
    verdict: verdict('cgroup_oom', web, { peakBytes: 256 * MiB }),
    evidence: [limits(web, 256 * MiB), pod(web, { owners: [{ kind: 'ReplicaSet', name: 'batch-runner' }] })],
    expect: [{ id: 'raise_memory_limit:kubernetes:app', executable: false, edit: null, command: ['kubectl set resources replicaset/batch-runner'], risk: ['delete them after the change'] }],
  },
  {
    name: 'no namespace in the evidence: no complete edit, so not executable',
    verdict: verdict('cgroup_oom', { ...web, namespace: undefined }, { peakBytes: 256 * MiB }),
    evidence: [limits({ ...web, namespace: undefined }, 256 * MiB), pod({ ...web, namespace: undefined }, { owners: [{ kind: 'ReplicaSet', name: 'web-7d9c8b5f4' }] })],
    expect: [{ id: 'raise_memory_limit:kubernetes:app', executable: false, edit: null, command: ['kubectl set resources deployment/web -c app'] }],
  },
  {
    name: 'owner not in the evidence: advice only',
    verdict: verdict('cgroup_oom', web, { peakBytes: 256 * MiB }),
    evidence: [limits(web, 256 * MiB)],
    expect: [{ id: 'raise_memory_limit:kubernetes:app', executable: false, command: ['ownerReferences'] }],
  },
  {
    name: 'host_oom, no limit (peak from kernel anon+file+shmem rss): set limit with requests = limits, then node headroom',
    verdict: verdict('host_oom', web, { factors: ['no_memory_limit', 'besteffort_qos'] }),
    evidence: [limits(web, null), owned, kernelOom(web, 600000, 20000, 4000)],
    expect: [
      {
        id: 'set_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '960Mi', requestsMemory: '960Mi' }, executable: true,
        changes: [{ field: LIMIT, before: null, after: '960Mi' }, { field: REQUEST, before: null, after: '960Mi' }],
        command: ['--limits=memory=960Mi --requests=memory=960Mi'],
        why: ['headroom'],
      },
      { id: 'add_host_headroom:kubernetes:app', executable: false, command: ['kubectl describe node ip-10-0-1-7'] },
    ],
  },
  {
    name: 'host_oom with a limit, Burstable: requests = limits, then node headroom',
    verdict: verdict('host_oom', web, { factors: ['burstable_qos', 'node_memory_pressure'] }),
    evidence: [limits(web, 1024 * MiB, { memoryRequestBytes: 512 * MiB }), owned],
    expect: [
      { id: 'requests_equal_limits:kubernetes:app', edit: { ...onWeb, limitsMemory: '1Gi', requestsMemory: '1Gi' }, executable: true, changes: [{ field: REQUEST, before: '512Mi', after: '1Gi' }], command: ['--limits=memory=1Gi --requests=memory=1Gi'] },
      { id: 'add_host_headroom:kubernetes:app' },
    ],
  },
  {
    name: 'eviction: request raised to the usage and equal to the (unchanged) limit',
    verdict: verdict('eviction', web, { peakBytes: 500 * MiB, factors: ['burstable_qos', 'node_memory_pressure'] }),
    evidence: [limits(web, 1024 * MiB, { memoryRequestBytes: 256 * MiB }), owned],
    expect: [
      { id: 'requests_equal_limits:kubernetes:app', edit: { ...onWeb, limitsMemory: '1Gi', requestsMemory: '1Gi' }, executable: true, changes: [{ field: REQUEST, before: '256Mi', after: '1Gi' }], command: ['--limits=memory=1Gi --requests=memory=1Gi'] },
      { id: 'add_host_headroom:kubernetes:app', why: ['evicted'] },
    ],
  },
  {
    name: 'eviction of a BestEffort pod: requests = limits = usage × 1.5',
    verdict: verdict('eviction', web, { factors: ['besteffort_qos'] }),
    evidence: [limits(web, null), owned, sample(web, 300 * MiB)],
    expect: [
      { id: 'requests_equal_limits:kubernetes:app', edit: { ...onWeb, limitsMemory: '512Mi', requestsMemory: '512Mi' }, changes: [{ field: LIMIT, before: null, after: '512Mi' }, { field: REQUEST, before: null, after: '512Mi' }] },
      { id: 'add_host_headroom:kubernetes:app' },
    ],
  },
  {
    name: 'stop_timeout: terminationGracePeriodSeconds doubled on the workload, and SIGTERM advice',
    verdict: verdict('stop_timeout', web),
    evidence: [owned, runtime(web, { runtime: 'node' })],
    expect: [
      {
        id: 'raise_grace_period:kubernetes:app', edit: { ...onWeb, terminationGracePeriodSeconds: 60 }, executable: true,
        changes: [{ field: 'spec.template.spec.terminationGracePeriodSeconds', before: '30', after: '60' }],
        command: [`kubectl patch deployment/web -n shop -p '{"spec":{"template":{"spec":{"terminationGracePeriodSeconds":60}}}}'`],
      },
      { id: 'handle_sigterm:kubernetes:app', executable: false, command: ['tini', "process.on('SIGTERM'"] },
    ],
  },
  {
    name: 'stop_timeout where the deletion asked for less than the spec: says the spec is not what the stop got',
    verdict: verdict('stop_timeout', web),
    evidence: [pod(web, { owners: [{ kind: 'ReplicaSet', name: 'web-7d9c8b5f4' }], terminationGracePeriodSeconds: 45, deletionGracePeriodSeconds: 10 })],
    expect: [
      { id: 'raise_grace_period:kubernetes:app', edit: { ...onWeb, terminationGracePeriodSeconds: 90 }, changes: [{ field: 'spec.template.spec.terminationGracePeriodSeconds', before: '45', after: '90' }], why: ['The stop used 10 s'] },
      { id: 'handle_sigterm:kubernetes:app' },
    ],
  },
  {
    name: 'probe_failure by timeout: raise timeoutSeconds/failureThreshold (advice)',
    verdict: verdict('probe_failure', web),
    evidence: [owned, event(web, 'Unhealthy', 'Liveness probe failed: Get "http://10.0.0.5:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)')],
    expect: [{ id: 'fix_probe:kubernetes:app', executable: false, command: ['"timeoutSeconds":5', '"failureThreshold":6', 'deployment/web'] }],
  },
  {
    name: 'probe_failure while starting: a startupProbe',
    verdict: verdict('probe_failure', web),
    evidence: [owned, event(web, 'Unhealthy', 'Liveness probe failed: dial tcp 10.0.0.5:8080: connect: connection refused')],
    expect: [{ id: 'fix_probe:kubernetes:app', executable: false, why: ['startupProbe'], command: ['startupProbe'] }],
  },
  {
    name: 'runtime_heap_limit, Node heap below 75% of the limit: raise the ceiling to 75%',
    verdict: verdict('runtime_heap_limit', web, { exitCode: 134 }),
    evidence: [limits(web, 2048 * MiB), owned, runtime(web, { runtime: 'node', runtimeVersion: 22 }), heapAbort(web, 1010)],
    expect: [{ id: 'set_runtime_heap:kubernetes:app', edit: { ...onWeb, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '1536' }] }, executable: true, changes: [{ field: 'NODE_OPTIONS --max-old-space-size', before: null, after: '1536' }] }],
  },
  {
    name: 'runtime_heap_limit, Node ceiling already at 75%: raise the limit and the ceiling together',
    verdict: verdict('runtime_heap_limit', web, { exitCode: 134 }),
    evidence: [limits(web, 2048 * MiB), owned, runtime(web, { runtime: 'node', runtimeVersion: 22, nodeMaxOldSpaceMb: 1536, envNames: ['NODE_OPTIONS'], settingSources: { nodeMaxOldSpaceMb: 'NODE_OPTIONS' } })],
    expect: [{
      id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '3Gi', env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '2304' }] }, executable: true,
      changes: [{ field: LIMIT, before: '2Gi', after: '3Gi' }, { field: 'NODE_OPTIONS --max-old-space-size', before: '1536', after: '2304' }],
      command: ['--limits=memory=3Gi', '--max-old-space-size=2304 $(kubectl get deployment/web'],
    }],
  },
  {
    name: 'Node flag on the command line: NODE_OPTIONS would not win, so advice only',
    verdict: verdict('cgroup_oom', web, { factors: ['heap_at_or_above_limit'] }),
    evidence: [limits(web, 1024 * MiB), owned, runtime(web, { runtime: 'node', runtimeVersion: 18, nodeMaxOldSpaceMb: 2048, settingSources: { nodeMaxOldSpaceMb: 'command' } })],
    expect: [
      { id: 'set_runtime_heap:kubernetes:app', executable: false, changes: [{ field: 'command --max-old-space-size', before: '2048', after: '768' }], command: ['on the command line'] },
      { id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '1536Mi' }, risk: ['Not automatic'] },
    ],
  },
  {
    name: 'a sidecar\'s limits are not the target\'s',
    verdict: verdict('cgroup_oom', web, { peakBytes: 500 * MiB }),
    evidence: [limits({ ...web, containerName: 'istio-proxy' }, 128 * MiB), limits(web, 512 * MiB), owned],
    expect: [{ id: 'raise_memory_limit:kubernetes:app', edit: { ...onWeb, limitsMemory: '768Mi' }, changes: [{ field: LIMIT, before: '512Mi', after: '768Mi' }] }],
  },
];

describe('plan: kubernetes', () => {
  test.each(cases)('$name', (c) => {
    checkCase(c);
  });
});
