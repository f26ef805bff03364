import type { ContainerResources } from './container-resources.js';

/**
 * The memory limit the kubelet puts on the pod's cgroup, in bytes, or null when it sets none.
 *
 * NOTE: the kubelet limits the pod cgroup only when every container, init containers included, has a
 * memory limit (pkg/kubelet/cm/helpers_linux.go ResourceConfigForPod). The value is the larger of the app
 * containers plus sidecars, and of each init container plus the sidecars started before it, plus the
 * pod overhead (RuntimeClass) — the same sum as `resource.PodLimits`.
 */
export function podMemoryLimit(containers: readonly ContainerResources[], overheadBytes = 0): number | null {
  if (containers.length === 0 || containers.some((c) => c.limits.memory === undefined || c.limits.memory <= 0)) return null;
  let sidecars = 0;
  let initPeak = 0;
  for (const c of containers) {
    if (c.role === 'sidecar') sidecars += c.limits.memory!;
    else if (c.role === 'init') initPeak = Math.max(initPeak, sidecars + c.limits.memory!);
  }
  const apps = containers.filter((c) => c.role === 'app').reduce((sum, c) => sum + c.limits.memory!, 0);
  return Math.max(apps + sidecars, initPeak) + overheadBytes;
}
