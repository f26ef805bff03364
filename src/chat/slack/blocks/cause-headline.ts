import type { CauseCode } from '../../../diagnosis/verdict.js';

/** What killed it, as the verdict's headline: the cause code (docs/causes.md) in words a tired person reads first. */
export const causeHeadline: Record<CauseCode, string> = {
  cgroup_oom: 'It hit its own memory limit (cgroup OOM kill)',
  host_oom: 'The host ran out of memory (the kernel’s global OOM killer chose it)',
  eviction: 'The kubelet evicted the pod: the node was low on memory',
  lambda_oom: 'The Lambda invocation ran out of its configured memory',
  stop_timeout: 'It did not stop within the grace period and was killed (SIGTERM, then SIGKILL)',
  probe_failure: 'A failing liveness probe / health check had it killed',
  external_sigkill: 'Something sent it SIGKILL directly; memory was not the reason',
  runtime_heap_limit: 'The language runtime hit its own heap ceiling and aborted',
  unknown: 'The evidence does not decide it yet',
};
