import type { Case } from './case.js';

/** The command that fetches the kernel's OOM lines where the target ran. */
export function kernelLogCommand(c: Pick<Case, 'platform' | 'target'>): string {
  const t = c.target;
  if (c.platform === 'kubernetes') return `kubectl debug node/${t.node ?? 'NODE'} -it --image=busybox -- chroot /host dmesg -T | grep -iE 'killed process|out of memory|oom-kill'`;
  if (c.platform === 'ecs') return `ssh <container-instance> sudo dmesg -T | grep -iE 'killed process|out of memory|oom-kill'`;
  return `sudo dmesg -T | grep -iE 'killed process|out of memory|oom-kill'`;
}
