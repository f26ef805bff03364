import type { CauseCode } from '../verdict.js';

/** Causes where memory sizing is the story, so runtime and limit factors matter. */
export const MEMORY_CAUSES: ReadonlySet<CauseCode> = new Set(['cgroup_oom', 'host_oom', 'eviction', 'lambda_oom', 'runtime_heap_limit', 'unknown']);
