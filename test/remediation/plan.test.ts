import type { Evidence, Subject } from '../../src/diagnosis/evidence.js';
import { CAUSES, type CauseCode, type FactorCode, type Verdict } from '../../src/diagnosis/verdict.js';
import { plan } from '../../src/remediation/plan.js';
import { MiB, ecsTask, heapAbort, invocation, kernelOom, lambdaConfig, limits, pod, runtime, sample, verdict } from './build.js';

const k8s: Subject & { platform: 'kubernetes' } = { platform: 'kubernetes', namespace: 'shop', pod: 'web-7d9c8b5f4-x2x9z', containerName: 'app' };
const ecs: Subject & { platform: 'ecs' } = { platform: 'ecs', cluster: 'prod', containerName: 'api', taskArn: 'arn:aws:ecs:eu-west-1:1:task/prod/abc' };
const fn: Subject & { platform: 'lambda' } = { platform: 'lambda', functionName: 'fn' };
const docker: Subject & { platform: 'docker' } = { platform: 'docker', containerName: 'worker' };

/** Rich evidence per platform: limits, a peak at the limit, runtime settings, owners. */
const rich: [Subject & { platform: 'kubernetes' | 'ecs' | 'lambda' | 'docker' }, Evidence[]][] = [
  [k8s, [limits(k8s, 512 * MiB, { memoryRequestBytes: 256 * MiB }), sample(k8s, 510 * MiB), kernelOom(k8s, 500000), pod(k8s, { owners: [{ kind: 'ReplicaSet', name: 'web-7d9c8b5f4' }] }), runtime(k8s, { runtime: 'node', runtimeVersion: 16 })]],
  [ecs, [limits(ecs, 512 * MiB), sample(ecs, 510 * MiB), ecsTask(ecs, { taskDefinitionArn: 'api:3', group: 'service:api' }), runtime(ecs, { runtime: 'go' })]],
  [fn, [lambdaConfig(fn, 512), invocation(fn, 512, 512), runtime(fn, { runtime: 'node', runtimeVersion: 16 })]],
  [docker, [limits(docker, 512 * MiB), sample(docker, 510 * MiB), runtime(docker, { runtime: 'jvm', runtimeVersion: 17 })]],
];
const allFactors: FactorCode[] = ['runtime_unaware_of_limit', 'memory_leak', 'near_limit', 'burstable_qos'];

describe('plan: every cause', () => {
  test.each(rich.flatMap(([t, ev]) => (['external_sigkill', 'unknown'] as CauseCode[]).map((cause) => ({ cause, platform: t.platform, t, ev }))))(
    '$cause on $platform: no proposals, even with a peak at the limit and factors',
    ({ cause, t, ev }) => {
      expect(plan(verdict(cause, t, { peakBytes: 510 * MiB, limitBytes: 512 * MiB, factors: allFactors }), ev)).toEqual([]);
    },
  );

  test.each(rich.flatMap(([t, ev]) => CAUSES.map((cause) => ({ cause, platform: t.platform, t, ev }))))(
    '$cause on $platform: deterministic, pure, unique ids, priorities 1..n, commands name the target',
    ({ cause, t, ev }) => {
      const v = verdict(cause, t, { peakBytes: 510 * MiB, factors: allFactors });
      const before = structuredClone({ v, ev });
      const first = plan(v, ev);
      expect(plan(v, ev)).toEqual(first);
      expect({ v, ev }).toEqual(before);
      expect(new Set(first.map((p) => p.id)).size).toBe(first.length);
      expect(first.map((p) => p.priority)).toEqual(first.map((_, i) => i + 1));
      for (const p of first) {
        expect(p.platform).toBe(t.platform);
        expect(p.why.length).toBeGreaterThan(0);
        expect(p.risk.length).toBeGreaterThan(0);
        // Every executable proposal carries the edit an executor applies, for its own platform; advice carries none.
        expect({ id: p.id, edit: p.edit?.platform ?? null }).toEqual({ id: p.id, edit: p.executable ? t.platform : null });
        if (p.executable) {
          expect(p.changes.length).toBeGreaterThan(0);
          expect(p.command).toContain(t.platform === 'kubernetes' ? 'web' : t.platform === 'ecs' ? 'api' : t.platform === 'lambda' ? 'fn' : 'worker');
        }
      }
      // A bigger limit never comes before the runtime fix or the leak advice.
      const firstLimit = first.findIndex((p) => /memory_limit|lambda_memory|hard_memory/.test(p.action));
      const lastRuntimeOrLeak = first.map((p) => /runtime_heap|gomemlimit|jvm_ram|workers|investigate_leak/.test(p.action)).lastIndexOf(true);
      if (firstLimit >= 0 && lastRuntimeOrLeak >= 0) expect(lastRuntimeOrLeak).toBeLessThan(firstLimit);
    },
  );

  test('the verdict\'s peakBytes wins over the evidence; without it the largest figure in the evidence sizes the limit', () => {
    const ev = [limits(docker, 100 * MiB), sample(docker, 90 * MiB), kernelOom(docker, 120 * 1024, 8 * 1024)];
    expect(plan(verdict('cgroup_oom', docker), ev)[0]!.command).toBe('docker update --memory 192m --memory-swap 192m worker');
    expect(plan(verdict('cgroup_oom', docker, { peakBytes: 50 * MiB }), ev)[0]!.command).toBe('docker update --memory 150m --memory-swap 150m worker');
  });

  test('no limit and no peak: nothing to size, so no limit proposal', () => {
    expect(plan(verdict('cgroup_oom', docker), [])).toEqual([]);
    expect(plan(verdict('host_oom', docker, { factors: ['no_memory_limit'] }), []).map((p) => p.action)).toEqual(['add_host_headroom']);
  });

  test('an unknown platform is inferred from the evidence; host and conflicting platforms get nothing', () => {
    const target: Verdict['target'] = { platform: 'unknown', containerName: 'worker' };
    expect(plan(verdict('cgroup_oom', target), [limits(docker, 64 * MiB)]).map((p) => p.id)).toEqual(['raise_memory_limit:docker:worker']);
    expect(plan(verdict('cgroup_oom', { platform: 'host', unit: 'app.service' }, { limitBytes: 64 * MiB }), [])).toEqual([]);
    expect(plan(verdict('cgroup_oom', target), [limits(docker, 64 * MiB), limits({ ...k8s, containerName: 'worker' }, 64 * MiB)])).toEqual([]);
  });

  test('runtime_heap_limit without a known limit: only leak advice if any, never a guessed limit', () => {
    expect(plan(verdict('runtime_heap_limit', docker), [runtime(docker, { runtime: 'node' }), heapAbort(docker, 2000)])).toEqual([]);
  });

  test('NODE_OPTIONS: only the flag is shown; other env names and the command never appear', () => {
    const ev = [
      limits(k8s, 1024 * MiB), pod(k8s, { owners: [{ kind: 'ReplicaSet', name: 'web-7d9c8b5f4' }] }),
      runtime(k8s, { runtime: 'node', runtimeVersion: 18, nodeMaxOldSpaceMb: 1024, envNames: ['NODE_OPTIONS', 'DATABASE_URL', 'STRIPE_KEY'], settingSources: { nodeMaxOldSpaceMb: 'NODE_OPTIONS' } }, ['node', '--enable-source-maps', 'server.js']),
    ];
    const proposals = plan(verdict('cgroup_oom', k8s, { factors: ['heap_at_or_above_limit'] }), ev);
    expect(proposals[0]!.changes).toEqual([{ field: 'NODE_OPTIONS --max-old-space-size', before: '1024', after: '768' }]);
    const text = JSON.stringify(proposals);
    for (const hidden of ['DATABASE_URL', 'STRIPE_KEY', '--enable-source-maps', 'server.js']) expect(text).not.toContain(hidden);
  });
});
