import type { FactorRule } from '../rule.js';
import { fact } from '../fact.js';
import { MEMORY_CAUSES } from './memory-causes.js';

// Node 20 and later size the default heap from the cgroup limit; older Node sizes it from host RAM.
const NODE_FIRST_CGROUP_AWARE_MAJOR = 20;
// JVMs from 10 (and 8u191) read the container limit; 9 and 7 do not. Java 8's update is not always known.
const JVM_FIRST_CGROUP_AWARE_MAJOR = 10;
const JVM8_FIRST_CGROUP_AWARE_UPDATE = 191;

/**
 * The runtime sizes itself from host RAM or CPUs, not from the limit: old Node without
 * --max-old-space-size, Go without GOMEMLIMIT, a JVM with container support off or too old for it,
 * Python workers counted from the CPUs. Version-dependent: nothing is claimed where the version is unknown.
 */
export const runtimeUnawareOfLimit: FactorRule = (c, cause) => {
  if (!MEMORY_CAUSES.has(cause) || !c.runtime) return null;
  const s = c.runtime.settings;
  const r = c.runtime;
  const lambda = c.platform === 'lambda';
  if (s.runtime === 'node' && !lambda && s.nodeMaxOldSpaceMb === undefined && s.runtimeVersion !== undefined && s.runtimeVersion < NODE_FIRST_CGROUP_AWARE_MAJOR) {
    return {
      code: 'runtime_unaware_of_limit', confidence: 'high', evidence: [fact(r, `Node ${s.runtimeVersion} with no --max-old-space-size in NODE_OPTIONS or args`)],
      summary: `Node ${s.runtimeVersion} sizes its heap from the host's RAM, not the container limit, and no --max-old-space-size is set: the heap grows until the kernel kills it instead of collecting garbage.`,
    };
  }
  const oldJava8 = s.runtimeVersion === 8 && s.jvmUpdate !== undefined && s.jvmUpdate < JVM8_FIRST_CGROUP_AWARE_UPDATE && !s.jvmCgroupHeapFlag;
  if (s.runtime === 'jvm' && (s.jvmContainerSupportDisabled || oldJava8 || (s.runtimeVersion !== undefined && s.runtimeVersion < JVM_FIRST_CGROUP_AWARE_MAJOR && s.runtimeVersion !== 8)) && s.jvmXmxBytes === undefined) {
    return {
      code: 'runtime_unaware_of_limit', confidence: 'high',
      evidence: [fact(r, s.jvmContainerSupportDisabled ? `-XX:-UseContainerSupport is set (${s.settingSources?.jvmContainerSupportDisabled ?? 'JVM options'})` : `Java ${s.runtimeVersion}${oldJava8 ? `u${s.jvmUpdate}` : ''} predates container support (8u191), and no -Xmx is set`)],
      summary: 'The JVM sizes its heap from the host RAM, not the container limit: set -XX:MaxRAMPercentage=75 (with container support on) or an explicit -Xmx below the limit.',
    };
  }
  if (s.runtime === 'go' && s.goMemLimitBytes === undefined) {
    return {
      code: 'runtime_unaware_of_limit', confidence: s.goMemLimitOff ? 'high' : 'medium',
      evidence: [fact(r, s.goMemLimitOff ? 'GOMEMLIMIT=off' : 'Go runtime with no GOMEMLIMIT in the environment')],
      summary: 'The Go runtime does not know the memory limit (no GOMEMLIMIT): its GC paces by GOGC alone, so the heap can double past the limit before collecting. Set GOMEMLIMIT to about 90% of the limit.',
    };
  }
  if (s.workersFromCpuCount) {
    return {
      code: 'runtime_unaware_of_limit', confidence: 'medium', evidence: [fact(r, `worker count comes from the CPU count (${s.settingSources?.workersFromCpuCount ?? 'command'})`)],
      summary: 'The worker count comes from the CPU count (the host\'s CPUs, not the container\'s share), and every worker holds its own memory: set an explicit worker count that fits the limit.',
    };
  }
  return null;
};
