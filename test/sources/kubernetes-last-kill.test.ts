import { readFileSync } from 'node:fs';
import { lastKill } from '../../src/sources/kubernetes/last-kill.js';
import { fixturePath } from '../helpers/fixture-path.js';

const pod = (name: string) => JSON.parse(readFileSync(fixturePath('kubernetes', name), 'utf8')) as Record<string, unknown>;

describe('lastKill: what makes a pod the one a workload target is about', () => {
  test.each([
    ['pod-oomkilled-crashloop.json', undefined, { at: '2024-05-14T09:17:43Z', container: 'app', reason: 'OOMKilled' }],
    ['pod-liveness-probe-killed.json', undefined, { at: '2024-05-16T10:52:30Z', container: 'gateway', reason: 'exit137' }],
    // The kubelet's eviction SIGKILLs the container (137, reason Error) and marks the pod Evicted.
    ['pod-evicted-memory-pressure.json', undefined, { at: '2024-05-15T11:04:21Z', container: 'web', reason: 'Evicted' }],
    ['pod-oomkilled-crashloop.json', 'sidecar', undefined],
  ])('%s (container %s)', (file, container, want) => {
    const kill = lastKill(pod(file), container);
    if (want === undefined) expect(kill).toBeUndefined();
    else expect(kill).toMatchObject(want);
  });

  test('an evicted pod whose container statuses were dropped still counts, at its last condition change', () => {
    const p = pod('pod-evicted-memory-pressure.json');
    (p.status as Record<string, unknown>).containerStatuses = [];
    expect(lastKill(p)).toEqual({ at: '2024-05-15T11:04:22Z', reason: 'Evicted' });
  });

  test('a pod that never exited 137 is not a kill', () => {
    const p = pod('pod-deleted-grace-period.json');
    const status = p.status as { containerStatuses: { state: { terminated: { exitCode: number } } }[] };
    status.containerStatuses[0]!.state.terminated.exitCode = 0;
    expect(lastKill(p)).toBeUndefined();
  });
});
