/** A short, human name for a cgroup path as the kernel prints it. */
export function describeCgroup(path: string): string {
  const p = path.trim();
  if (p === '' || p === '/') return 'the root cgroup (the whole machine)';
  const id = /(?:docker|cri-containerd|crio|containerd)[-/:]([0-9a-f]{12,64})|\/([0-9a-f]{64})(?:\.scope)?$/.exec(p);
  const pod = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(p);
  const ecs = /\/ecs\/([0-9a-f]{32}|[^/]+)/.exec(p);
  const unit = /([\w@.-]+\.service)/.exec(p);
  if (id && pod) return `container ${(id[1] ?? id[2])!.slice(0, 12)} of pod ${pod[1]!.replace(/_/g, '-')}`;
  if (pod) return `pod ${pod[1]!.replace(/_/g, '-')}`;
  if (ecs && id) return `container ${(id[1] ?? id[2])!.slice(0, 12)} of ECS task ${ecs[1]}`;
  if (ecs) return `ECS task ${ecs[1]}`;
  if (id) return `container ${(id[1] ?? id[2])!.slice(0, 12)}`;
  if (unit) return `unit ${unit[1]}`;
  return p;
}
