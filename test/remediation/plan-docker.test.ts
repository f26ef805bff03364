import type { Subject } from '../../src/diagnosis/evidence.js';
import { MiB, checkCase, escalation, kernelOom, limits, runtime, sample, verdict, type Case } from './build.js';

const worker: Subject & { platform: 'docker' } = { platform: 'docker', containerName: 'worker', containerId: 'f'.repeat(64) };

/** What every executable proposal's edit names on this target. */
const ID = 'f'.repeat(64);
const onWorker = { platform: 'docker', container: ID } as const;

const cases: Case[] = [
  {
    name: 'cgroup_oom at 64m: docker update to 96m, swap equal to memory',
    verdict: verdict('cgroup_oom', worker, { limitBytes: 64 * MiB, peakBytes: 63 * MiB }),
    evidence: [limits(worker, 64 * MiB, { memorySwapBytes: 128 * MiB })],
    expect: [{
      id: 'raise_memory_limit:docker:worker', edit: { ...onWorker, memoryBytes: 96 * MiB, memorySwapBytes: 96 * MiB }, executable: true,
      changes: [{ field: 'HostConfig.Memory', before: '64m', after: '96m' }, { field: 'HostConfig.MemorySwap', before: '128m', after: '96m' }],
      command: ['docker update --memory 96m --memory-swap 96m worker'],
      risk: ['compose'],
    }],
  },
  {
    name: 'm units: 100m peak at the limit → 150m',
    verdict: verdict('cgroup_oom', worker),
    evidence: [limits(worker, 100 * MiB), sample(worker, 99.5 * MiB)],
    expect: [{ id: 'raise_memory_limit:docker:worker', edit: { ...onWorker, memoryBytes: 150 * MiB, memorySwapBytes: 150 * MiB }, command: ['docker update --memory 150m --memory-swap 150m worker'] }],
  },
  {
    name: 'host_oom without a limit: set one (peak from the kernel), then host headroom',
    verdict: verdict('host_oom', worker, { factors: ['no_memory_limit'] }),
    evidence: [limits(worker, null), kernelOom(worker, 204800)],
    expect: [
      { id: 'set_memory_limit:docker:worker', edit: { ...onWorker, memoryBytes: 300 * MiB, memorySwapBytes: 300 * MiB }, executable: true, changes: [{ field: 'HostConfig.Memory', before: null, after: '300m' }, { field: 'HostConfig.MemorySwap', before: null, after: '300m' }] },
      { id: 'add_host_headroom:docker:worker', executable: false, command: ['docker stats'] },
    ],
  },
  {
    name: 'host_oom without a limit, Go unaware: GOMEMLIMIT against the proposed limit (recreate), then the limit',
    verdict: verdict('host_oom', worker, { factors: ['no_memory_limit', 'runtime_unaware_of_limit'] }),
    evidence: [limits(worker, null), kernelOom(worker, 204800), runtime(worker, { runtime: 'go' })],
    expect: [
      { id: 'set_gomemlimit:docker:worker', executable: false, changes: [{ field: 'GOMEMLIMIT', before: null, after: '270MiB' }], command: ['recreate worker with -e GOMEMLIMIT=270MiB'], why: ['proposed with it'] },
      { id: 'set_memory_limit:docker:worker', edit: { ...onWorker, memoryBytes: 300 * MiB, memorySwapBytes: 300 * MiB } },
      { id: 'add_host_headroom:docker:worker' },
    ],
  },
  {
    name: 'stop_timeout: docker stop -t / --stop-timeout (needs recreation, so advice) and --init',
    verdict: verdict('stop_timeout', worker),
    evidence: [escalation(worker, 'dockerd', 10)],
    expect: [
      { id: 'raise_grace_period:docker:worker', executable: false, changes: [{ field: 'Config.StopTimeout', before: '10', after: '30' }], command: ['docker stop -t 30 worker', '--stop-timeout 30'] },
      { id: 'handle_sigterm:docker:worker', executable: false, command: ['--init'] },
    ],
  },
  {
    name: 'probe_failure: health check advice',
    verdict: verdict('probe_failure', worker),
    evidence: [],
    expect: [{ id: 'fix_probe:docker:worker', executable: false, command: ['docker inspect'] }],
  },
  {
    name: 'only a name: the edit names the container by name',
    verdict: verdict('cgroup_oom', { platform: 'docker', containerName: 'worker' }, { limitBytes: 64 * MiB }),
    evidence: [],
    expect: [{ id: 'raise_memory_limit:docker:worker', edit: { platform: 'docker', container: 'worker', memoryBytes: 96 * MiB, memorySwapBytes: 96 * MiB }, risk: ['compose'], notCommand: ['rolled back'] }],
  },
  {
    name: 'no limit before: the risk says why137 cannot roll it back (docker cannot remove a limit)',
    verdict: verdict('host_oom', worker, { factors: ['no_memory_limit'] }),
    evidence: [limits(worker, null), sample(worker, 100 * MiB)],
    expect: [
      { id: 'set_memory_limit:docker:worker', executable: true, edit: { ...onWorker, memoryBytes: 150 * MiB, memorySwapBytes: 150 * MiB }, risk: ['cannot be rolled back in place'] },
      { id: 'add_host_headroom:docker:worker' },
    ],
  },
  {
    name: 'only a container id: the short id names it',
    verdict: verdict('cgroup_oom', { platform: 'docker', containerId: 'f'.repeat(64) }, { limitBytes: 256 * MiB }),
    evidence: [],
    expect: [{ id: 'raise_memory_limit:docker:ffffffffffff', edit: { ...onWorker, memoryBytes: 384 * MiB, memorySwapBytes: 384 * MiB }, command: ['docker update --memory 384m --memory-swap 384m ffffffffffff'] }],
  },
];

describe('plan: docker', () => {
  test.each(cases)('$name', (c) => {
    checkCase(c);
  });
});
