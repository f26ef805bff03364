import type { Subject } from '../../src/diagnosis/evidence.js';
import { MiB, checkCase, ecsTask, escalation, kernelOom, limits, runtime, verdict, type Case } from './build.js';

const api: Subject & { platform: 'ecs' } = {
  platform: 'ecs', cluster: 'prod', containerName: 'api',
  taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef', taskId: '0123456789abcdef0123456789abcdef',
};
const taskScope: Subject = { platform: 'ecs', cluster: 'prod', taskArn: api.taskArn };
const task = ecsTask(api, {
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/api:42', group: 'service:api-svc', launchType: 'FARGATE',
  stoppedReason: 'OutOfMemoryError: Container killed due to memory usage',
});
const REGISTER = 'aws ecs register-task-definition --cli-input-json file://taskdef.json';
const UPDATE = 'aws ecs update-service --cluster prod --service api-svc --task-definition api';

/** What every executable proposal's edit names on this target. */
const onService = { platform: 'ecs', cluster: 'prod', service: 'api-svc', taskDefinition: 'api:42', container: 'api' } as const;

const cases: Case[] = [
  {
    name: 'Fargate, container limit hit: container memory × 1.5 in 64 MiB steps; the task steps to the next valid size and CPU',
    verdict: verdict('cgroup_oom', api, { peakBytes: 1500 * MiB, limitBytes: 1536 * MiB }),
    evidence: [
      limits(api, 1536 * MiB),
      limits({ ...api, containerName: 'envoy' }, null, { memoryReservationBytes: 256 * MiB }),
      limits(taskScope, 2048 * MiB, { scope: 'task', cpu: '256', launchType: 'FARGATE' }),
      task,
    ],
    expect: [{
      id: 'raise_memory_limit:ecs:api', edit: { ...onService, memoryMiB: 2304, taskMemory: '3072', taskCpu: '512' }, executable: true,
      changes: [
        { field: 'containerDefinitions[api].memory', before: '1536', after: '2304' },
        { field: 'memory', before: '2048', after: '3072' },
        { field: 'cpu', before: '256', after: '512' },
      ],
      command: [
        'aws ecs describe-task-definition --task-definition api:42',
        '(.containerDefinitions[] | select(.name == "api") | .memory) = 2304',
        '.memory = "3072"', '.cpu = "512"', REGISTER, UPDATE,
      ],
      why: ['next valid Fargate size'],
      risk: ['cpu 256'],
    }],
  },
  {
    name: 'Fargate, task limit hit (no container memory): the task memory steps, CPU kept',
    verdict: verdict('cgroup_oom', api, { peakBytes: 2040 * MiB, limitBytes: 2048 * MiB }),
    evidence: [limits(api, null), limits(taskScope, 2048 * MiB, { scope: 'task', cpu: '1024', launchType: 'FARGATE' }), task],
    expect: [{
      id: 'raise_memory_limit:ecs:api', edit: { ...onService, taskMemory: '3072' }, executable: true,
      changes: [{ field: 'memory', before: '2048', after: '3072' }],
      command: ['.memory = "3072"', UPDATE], notCommand: ['.cpu'],
    }],
  },
  {
    name: 'Fargate, large task: 30 GB at 4 vCPU needs 8 vCPU for 48 GB',
    verdict: verdict('cgroup_oom', api, { limitBytes: 30720 * MiB }),
    evidence: [limits(api, null), limits(taskScope, 30720 * MiB, { scope: 'task', cpu: '4 vCPU', launchType: 'FARGATE' }), task],
    expect: [{
      id: 'raise_memory_limit:ecs:api', edit: { ...onService, taskMemory: '49152', taskCpu: '8192' },
      changes: [{ field: 'memory', before: '30720', after: '49152' }, { field: 'cpu', before: '4096', after: '8192' }],
    }],
  },
  {
    name: 'EC2, only memoryReservation (host_oom): set a hard memory of peak × 1.5; no service, so not executable; host headroom',
    verdict: verdict('host_oom', api, { factors: ['soft_limit_only'] }),
    evidence: [limits(api, null, { memoryReservationBytes: 512 * MiB, launchType: 'EC2' }), kernelOom(api, 900 * 1024), { ...task, launchType: 'EC2', group: 'family:api' }],
    expect: [
      {
        id: 'set_hard_memory:ecs:api', executable: false,
        changes: [{ field: 'containerDefinitions[api].memory', before: null, after: '1408' }],
        command: ['.memory) = 1408', REGISTER, 'not run by a service'], notCommand: ['update-service'],
        why: ['soft memoryReservation'],
      },
      { id: 'add_host_headroom:ecs:api', executable: false, command: ['ECS_RESERVED_MEMORY'] },
    ],
  },
  {
    name: 'EC2 service, soft limit only: the hard memory is never below the reservation',
    verdict: verdict('host_oom', api, { factors: ['soft_limit_only'] }),
    evidence: [limits(api, null, { memoryReservationBytes: 2048 * MiB, launchType: 'EC2' }), kernelOom(api, 1000 * 1024), { ...task, launchType: 'EC2' }],
    expect: [
      { id: 'set_hard_memory:ecs:api', edit: { ...onService, memoryMiB: 2048 }, executable: true, changes: [{ field: 'containerDefinitions[api].memory', before: null, after: '2048' }], command: [UPDATE] },
      { id: 'add_host_headroom:ecs:api' },
    ],
  },
  {
    name: 'soft limit only and no usage figure: a hard memory sized from the reservation, as advice (not executable)',
    verdict: verdict('host_oom', api, { factors: ['soft_limit_only', 'no_memory_limit'] }),
    evidence: [limits(api, null, { memoryReservationBytes: 512 * MiB, launchType: 'EC2' }), { ...task, launchType: 'EC2' }],
    expect: [
      {
        id: 'set_hard_memory:ecs:api', executable: false,
        changes: [{ field: 'containerDefinitions[api].memory', before: null, after: '768' }],
        command: [UPDATE], why: ['No memory figure'], risk: ['Sized from configuration'],
      },
      { id: 'add_host_headroom:ecs:api' },
    ],
  },
  {
    name: 'the verdict\'s limit disagrees with the target\'s own task definition: the target\'s limit is used',
    verdict: verdict('cgroup_oom', api, { limitBytes: 1024 * MiB }),
    evidence: [limits(taskScope, 512 * MiB, { scope: 'task', cpu: '256', launchType: 'FARGATE' }), task],
    expect: [{ id: 'raise_memory_limit:ecs:api', edit: { ...onService, taskMemory: '1024' }, changes: [{ field: 'memory', before: '512', after: '1024' }], why: ['512 MiB limit'] }],
  },
  {
    name: 'evidence about another task definition revision is left out',
    verdict: verdict('cgroup_oom', { ...api, taskDefinition: 'api:42' }, { peakBytes: 500 * MiB }),
    evidence: [
      limits({ ...api, taskDefinition: 'api:41' }, 2048 * MiB), limits({ platform: 'ecs', taskDefinition: 'api:41' }, 4096 * MiB, { scope: 'task', launchType: 'FARGATE', cpu: '1024' }),
      limits({ ...api, taskDefinition: 'api:42' }, 512 * MiB), limits({ platform: 'ecs', taskDefinition: 'api:42' }, 1024 * MiB, { scope: 'task', launchType: 'FARGATE', cpu: '512' }),
      task,
    ],
    expect: [{ id: 'raise_memory_limit:ecs:api', edit: { ...onService, memoryMiB: 768 }, changes: [{ field: 'containerDefinitions[api].memory', before: '512', after: '768' }] }],
  },
  {
    name: 'Node unaware of the limit: NODE_OPTIONS merged in the task definition by jq, then the memory',
    verdict: verdict('cgroup_oom', api, { factors: ['runtime_unaware_of_limit'] }),
    evidence: [limits(api, 1024 * MiB), limits(taskScope, 4096 * MiB, { scope: 'task', cpu: '1024', launchType: 'FARGATE' }), task, runtime(api, { runtime: 'node', runtimeVersion: 16, envNames: ['NODE_OPTIONS', 'API_KEY'] })],
    expect: [
      {
        id: 'set_runtime_heap:ecs:api', edit: { ...onService, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '768' }] }, executable: true,
        changes: [{ field: 'NODE_OPTIONS --max-old-space-size', before: null, after: '768' }],
        command: ['map(select(.name != "NODE_OPTIONS"))', '"--max-old-space-size=768 "', 'gsub("--max[-_]old[-_]space[-_]size[= ][0-9]+"; "")', REGISTER, UPDATE],
        notCommand: ['API_KEY'],
      },
      {
        id: 'raise_memory_limit:ecs:api', edit: { ...onService, memoryMiB: 1536, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '1152' }] }, executable: true,
        changes: [{ field: 'containerDefinitions[api].memory', before: '1024', after: '1536' }, { field: 'NODE_OPTIONS --max-old-space-size', before: null, after: '1152' }],
      },
    ],
  },
  {
    name: 'celery concurrency from the CPU count: explicit count from the task CPU (container cpu 0 means no reservation)',
    verdict: verdict('cgroup_oom', api, { factors: ['runtime_unaware_of_limit'] }),
    evidence: [
      limits(api, 2048 * MiB, { cpu: '0' }), limits(taskScope, 4096 * MiB, { scope: 'task', cpu: '2048', launchType: 'FARGATE' }), task,
      runtime(api, { runtime: 'python', workersFromCpuCount: true }, ['celery', '-A', 'proj', 'worker']),
    ],
    expect: [
      { id: 'reduce_workers:ecs:api', executable: false, changes: [{ field: 'workers', before: 'CPU count', after: '2' }], command: ['--concurrency 2'] },
      { id: 'raise_memory_limit:ecs:api', edit: { ...onService, memoryMiB: 3072 }, changes: [{ field: 'containerDefinitions[api].memory', before: '2048', after: '3072' }] },
    ],
  },
  {
    name: 'stop_timeout on Fargate: stopTimeout doubled but capped at 120 s',
    verdict: verdict('stop_timeout', api),
    evidence: [{ ...task, stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/123)' }, escalation(api, 'ecs-agent', 90)],
    expect: [
      {
        id: 'raise_grace_period:ecs:api', edit: { ...onService, stopTimeout: 120 }, executable: true,
        changes: [{ field: 'containerDefinitions[api].stopTimeout', before: '90', after: '120' }],
        command: ['.stopTimeout) = 120', REGISTER, UPDATE], why: ['at most 120 s'],
      },
      { id: 'handle_sigterm:ecs:api', executable: false, command: ['initProcessEnabled'] },
    ],
  },
  {
    name: 'stop_timeout on EC2: default 30 s → 60 s',
    verdict: verdict('stop_timeout', api),
    evidence: [{ ...task, launchType: 'EC2' }],
    expect: [
      { id: 'raise_grace_period:ecs:api', edit: { ...onService, stopTimeout: 60 }, changes: [{ field: 'containerDefinitions[api].stopTimeout', before: null, after: '60' }], why: ['ECS_CONTAINER_STOP_TIMEOUT'] },
      { id: 'handle_sigterm:ecs:api' },
    ],
  },
  {
    name: 'stop_timeout on Fargate already at 120 s: only the SIGTERM advice',
    verdict: verdict('stop_timeout', api),
    evidence: [task, escalation(api, 'ecs-agent', 120)],
    expect: [{ id: 'handle_sigterm:ecs:api', why: ['maximum of 120 s'] }],
  },
  {
    name: 'probe_failure by ELB health checks: health-check grace period advice',
    verdict: verdict('probe_failure', api),
    evidence: [{ ...task, stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/api/abc)' }],
    expect: [{ id: 'fix_probe:ecs:api', executable: false, command: ['aws ecs update-service --cluster prod --service api-svc --health-check-grace-period-seconds 120'] }],
  },
  {
    name: 'probe_failure by container health checks: healthCheck advice',
    verdict: verdict('probe_failure', api),
    evidence: [{ ...task, stoppedReason: 'Task failed container health checks' }],
    expect: [{ id: 'fix_probe:ecs:api', executable: false, why: ['startPeriod'], command: ['healthCheck'] }],
  },
  {
    name: 'the task definition\'s revision is not in the evidence: the command names the family, but no edit, so not executable',
    verdict: verdict('cgroup_oom', api, { peakBytes: 500 * MiB }),
    evidence: [limits(api, 512 * MiB), { ...task, taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/api' }],
    expect: [{ id: 'raise_memory_limit:ecs:api', executable: false, edit: null, command: ['--task-definition api ', UPDATE] }],
  },
  {
    name: 'memory_leak: leak advice through ECS Exec before the memory',
    verdict: verdict('cgroup_oom', api, { factors: ['memory_leak'] }),
    evidence: [limits(api, 1024 * MiB), task, runtime(api, { runtime: 'jvm', runtimeVersion: 21 })],
    expect: [
      { id: 'investigate_leak:ecs:api', executable: false, command: ["aws ecs execute-command --cluster prod --task 0123456789abcdef0123456789abcdef --container api --interactive --command 'jcmd 1 GC.class_histogram'"] },
      { id: 'raise_memory_limit:ecs:api', edit: { ...onService, memoryMiB: 1536 }, why: ['only moves the cliff'] },
    ],
  },
];

describe('plan: ecs', () => {
  test.each(cases)('$name', (c) => {
    checkCase(c);
  });
});
