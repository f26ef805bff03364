import type { Edit } from '../../../src/remediation/edit.js';
import { executorFor } from '../../../src/remediation/execute/executor-for.js';
import { executors } from '../../../src/remediation/execute/index.js';
import { Why137Error } from '../../../src/errors/why137-error.js';

const MiB = 1024 * 1024;
const k8s = { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'Deployment', name: 'web' }, container: 'app' } as const;
const ecs = { platform: 'ecs', cluster: 'prod', service: 'api-svc', taskDefinition: 'api:42', container: 'api' } as const;
const fn = { platform: 'lambda', functionName: 'thumbnailer' } as const;
const box = { platform: 'docker', container: 'worker' } as const;

const node = (value: string) => ({ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value });
const jvmPct = { name: 'JAVA_TOOL_OPTIONS', flag: '-XX:MaxRAMPercentage', value: '75', remove: ['-Xmx', '-XX:MaxHeapSize', '-XX:-UseContainerSupport'] };

/** A typed value and the edit it re-sizes to. */
const valid: { name: string; edit: Edit; typed: string; revised: Edit }[] = [
  // Kubernetes: quantities, requests kept equal to limits, runtime ceilings re-derived at 75% / 90%.
  { name: 'k8s 1Gi: limits and requests stay equal', edit: { ...k8s, limitsMemory: '768Mi', requestsMemory: '768Mi' }, typed: '1Gi', revised: { ...k8s, limitsMemory: '1Gi', requestsMemory: '1Gi' } },
  { name: 'k8s 1536Mi: limits only', edit: { ...k8s, limitsMemory: '1Gi' }, typed: ' 1536Mi ', revised: { ...k8s, limitsMemory: '1536Mi' } },
  { name: 'k8s 1.5Gi is 1536Mi', edit: { ...k8s, limitsMemory: '1Gi' }, typed: '1.5Gi', revised: { ...k8s, limitsMemory: '1536Mi' } },
  { name: 'k8s decimal 2G stays as typed', edit: { ...k8s, limitsMemory: '1Gi' }, typed: '2G', revised: { ...k8s, limitsMemory: '2G' } },
  {
    name: 'k8s with NODE_OPTIONS: the heap ceiling follows at 75%', edit: { ...k8s, limitsMemory: '768Mi', env: [node('576')] }, typed: '1Gi',
    revised: { ...k8s, limitsMemory: '1Gi', env: [node('768')] },
  },
  {
    name: 'k8s with -Xmx and GOMEMLIMIT: 75% and 90%', edit: { ...k8s, limitsMemory: '3Gi', env: [{ name: 'JAVA_TOOL_OPTIONS', flag: '-Xmx', value: '2304m', remove: ['-XX:MaxHeapSize'] }, { name: 'GOMEMLIMIT', value: '2764MiB' }] }, typed: '2Gi',
    revised: { ...k8s, limitsMemory: '2Gi', env: [{ name: 'JAVA_TOOL_OPTIONS', flag: '-Xmx', value: '1536m', remove: ['-XX:MaxHeapSize'] }, { name: 'GOMEMLIMIT', value: '1843MiB' }] },
  },
  { name: 'k8s MaxRAMPercentage follows the limit by itself', edit: { ...k8s, limitsMemory: '1Gi', env: [jvmPct] }, typed: '2Gi', revised: { ...k8s, limitsMemory: '2Gi', env: [jvmPct] } },
  { name: 'k8s grace period in seconds', edit: { ...k8s, terminationGracePeriodSeconds: 60 }, typed: '90s', revised: { ...k8s, terminationGracePeriodSeconds: 90 } },
  // ECS: MiB; the task grows with the container by the room it had; Fargate sizes stay valid.
  { name: 'ECS container memory (EC2, no task memory)', edit: { ...ecs, memoryMiB: 1536 }, typed: '2048', revised: { ...ecs, memoryMiB: 2048 } },
  { name: 'ECS 2 GiB', edit: { ...ecs, memoryMiB: 1536 }, typed: '2 GiB', revised: { ...ecs, memoryMiB: 2048 } },
  {
    name: 'ECS Fargate: container 3000 needs a 4096 task (it had 768 MiB beside the container); cpu 512 still fits',
    edit: { ...ecs, memoryMiB: 2304, taskMemory: '3072', taskCpu: '512' }, typed: '3000',
    revised: { ...ecs, memoryMiB: 3000, taskMemory: '4096', taskCpu: '512' },
  },
  {
    name: 'ECS Fargate: container 5000 needs 6 GB, which needs cpu 1024',
    edit: { ...ecs, memoryMiB: 2304, taskMemory: '3072', taskCpu: '512' }, typed: '5000',
    revised: { ...ecs, memoryMiB: 5000, taskMemory: '6144', taskCpu: '1024' },
  },
  { name: 'ECS Fargate task memory: a valid size at the CPU', edit: { ...ecs, taskMemory: '3072' }, typed: '4096', revised: { ...ecs, taskMemory: '4096' } },
  { name: 'ECS EC2 task memory (not a Fargate size): any MiB', edit: { ...ecs, memoryMiB: 1000, taskMemory: '1088' }, typed: '1200', revised: { ...ecs, memoryMiB: 1200, taskMemory: '1344' } },
  {
    name: 'ECS with NODE_OPTIONS: the ceiling follows the container memory', edit: { ...ecs, memoryMiB: 1536, env: [node('1152')] }, typed: '2048',
    revised: { ...ecs, memoryMiB: 2048, env: [node('1536')] },
  },
  { name: 'ECS stopTimeout in seconds', edit: { ...ecs, stopTimeout: 60 }, typed: '120', revised: { ...ecs, stopTimeout: 120 } },
  // Lambda: MB, 128–10240, ceilings follow.
  { name: 'Lambda 2048 MB', edit: { ...fn, memorySizeMb: 1536 }, typed: '2048', revised: { ...fn, memorySizeMb: 2048 } },
  { name: 'Lambda with MB and NODE_OPTIONS', edit: { ...fn, memorySizeMb: 1536, env: [node('1152')] }, typed: '1024 MB', revised: { ...fn, memorySizeMb: 1024, env: [node('768')] } },
  { name: 'Lambda at the bounds', edit: { ...fn, memorySizeMb: 1536 }, typed: '10240', revised: { ...fn, memorySizeMb: 10240 } },
  // Docker: m/g units, swap = memory.
  { name: 'docker 96m, swap equal', edit: { ...box, memoryBytes: 48 * MiB, memorySwapBytes: 48 * MiB }, typed: '96m', revised: { ...box, memoryBytes: 96 * MiB, memorySwapBytes: 96 * MiB } },
  { name: 'docker 1g', edit: { ...box, memoryBytes: 48 * MiB, memorySwapBytes: 48 * MiB }, typed: '1g', revised: { ...box, memoryBytes: 1024 * MiB, memorySwapBytes: 1024 * MiB } },
  { name: 'docker 6m (the engine minimum)', edit: { ...box, memoryBytes: 48 * MiB }, typed: '6m', revised: { ...box, memoryBytes: 6 * MiB, memorySwapBytes: 6 * MiB } },
];

/** A typed value that is refused, and words the one-line message must contain. */
const invalid: { name: string; edit: Edit; typed: string; says: string }[] = [
  { name: 'k8s lower-case m is millibytes', edit: { ...k8s, limitsMemory: '1Gi' }, typed: '768m', says: '768Mi is MiB' },
  { name: 'k8s not a quantity', edit: { ...k8s, limitsMemory: '1Gi' }, typed: 'lots', says: 'such as 1536Mi or 2Gi' },
  { name: 'k8s absurdly small', edit: { ...k8s, limitsMemory: '1Gi' }, typed: '1Mi', says: 'at least 4Mi' },
  { name: 'k8s negative', edit: { ...k8s, limitsMemory: '1Gi' }, typed: '-1Gi', says: 'Kubernetes memory quantity' },
  { name: 'k8s env-only edit has no size', edit: { ...k8s, env: [node('576')] }, typed: '1Gi', says: 'cannot be re-sized' },
  { name: 'k8s grace 0 would kill at once', edit: { ...k8s, terminationGracePeriodSeconds: 60 }, typed: '0', says: 'whole seconds from 1 to 3600' },
  { name: 'ECS below 6 MiB', edit: { ...ecs, memoryMiB: 1536 }, typed: '4', says: 'at least 6' },
  { name: 'ECS K8s units', edit: { ...ecs, memoryMiB: 1536 }, typed: '1536Mi', says: 'whole number of MiB' },
  { name: 'ECS below the reservation', edit: { ...ecs, memoryMiB: 1536, memoryReservationMiB: 1024 }, typed: '512', says: 'memoryReservation of 1024 MiB' },
  { name: 'ECS not a Fargate task size', edit: { ...ecs, taskMemory: '3072', taskCpu: '512' }, typed: '3500', says: 'Fargate task memory size' },
  { name: 'ECS beyond Fargate\'s largest task', edit: { ...ecs, memoryMiB: 2304, taskMemory: '3072' }, typed: '130000', says: 'largest is 122880 MiB' },
  { name: 'Lambda below 128 MB', edit: { ...fn, memorySizeMb: 1536 }, typed: '64', says: 'from 128 to 10240' },
  { name: 'Lambda above 10,240 MB', edit: { ...fn, memorySizeMb: 1536 }, typed: '10241', says: 'from 128 to 10240' },
  { name: 'Lambda fractional', edit: { ...fn, memorySizeMb: 1536 }, typed: '1536.5', says: 'whole number of MB' },
  { name: 'Lambda env-only edit has no size', edit: { ...fn, env: [node('768')] }, typed: '2048', says: 'cannot be re-sized' },
  { name: 'docker below the engine minimum', edit: { ...box, memoryBytes: 48 * MiB }, typed: '4m', says: 'at least 6m' },
  { name: 'docker K8s units', edit: { ...box, memoryBytes: 48 * MiB }, typed: '96Mi', says: 'such as 96m' },
  { name: 'docker empty', edit: { ...box, memoryBytes: 48 * MiB }, typed: '', says: 'docker memory size' },
];

describe('revise: a typed value in the platform\'s units re-sizes the edit', () => {
  test.each(valid)('$name', ({ edit, typed, revised }) => {
    expect(executorFor(edit).revise(edit, typed)).toEqual(revised);
  });

  test.each(invalid)('refused: $name', ({ edit, typed, says }) => {
    let err: unknown;
    try { executorFor(edit).revise(edit, typed); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Why137Error);
    expect((err as Why137Error).code).toBe('why137_invalid_value');
    expect((err as Why137Error).message).toContain(says);
    expect((err as Why137Error).message).not.toContain('\n');
  });

  test('the registry has one executor per platform, each named for it', () => {
    expect(Object.entries(executors).map(([k, e]) => [k, e.platform])).toEqual([
      ['kubernetes', 'kubernetes'], ['ecs', 'ecs'], ['lambda', 'lambda'], ['docker', 'docker'],
    ]);
  });
});
