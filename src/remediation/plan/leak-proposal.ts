import type { Proposal } from '../proposal.js';
import type { PlanContext } from './plan-context.js';
import type { PlatformPlanner } from './platform-planner.js';
import { makeProposal } from './make-proposal.js';

/**
 * investigate_leak: advice only. Concrete next steps for the runtime (heap snapshots, profiles) run
 * through the platform's exec prefix, or, for Lambda, through the logs, since there is nothing to exec into.
 */
export function leakProposal(ctx: PlanContext, planner: PlatformPlanner): Proposal {
  const exec = planner.exec(ctx);
  const steps = exec === null ? lambdaSteps(ctx) : [...runtimeSteps(ctx, exec), ...cgroupSteps(exec)];
  return makeProposal(ctx, {
    action: 'investigate_leak',
    title: 'Find what keeps growing before giving it more memory',
    changes: [],
    why: 'Memory grows without levelling off (memory_leak): any limit is reached in the end, and a bigger one only moves the cliff and buys time between kills. Two snapshots some minutes apart show what grows.',
    risk: exec === null
      ? 'Reading the logs changes nothing; logging memory per invocation adds a little log volume.'
      : 'A heap snapshot pauses the process (seconds for a big heap) and may need as much memory again as the heap: take it on one replica out of traffic, or soon after a restart while the heap is small.',
    command: steps.join('\n'),
    addresses: ['memory_leak'],
    executable: false,
  });
}

function runtimeSteps(ctx: PlanContext, exec: (command: string) => string): string[] {
  switch (ctx.settings.runtime) {
    case 'node':
      return [
        '# Node: let the process write heap snapshots on a signal, and one by itself near the heap limit (Node 14.18+):',
        '#   add --heapsnapshot-signal=SIGUSR2 --heapsnapshot-near-heap-limit=1 to NODE_OPTIONS',
        `${exec('kill -USR2 1')}   # node's pid if it is not PID 1; repeat after 15-30 minutes of traffic`,
        '# copy the two Heap.*.heapsnapshot files from the working directory; Chrome DevTools > Memory > Load, Comparison view: what only grows',
      ];
    case 'jvm':
      return [
        `${exec('jcmd 1 GC.class_histogram')}   # repeat after 15-30 minutes; compare instance counts`,
        `${exec('jcmd 1 GC.heap_dump /tmp/heap.hprof')}   # open in Eclipse MAT: Leak Suspects, Dominator Tree`,
        '# heap steady but RSS growing: start with -XX:NativeMemoryTracking=summary, then:',
        `${exec('jcmd 1 VM.native_memory baseline')}   # later: jcmd 1 VM.native_memory summary.diff`,
        '# keep evidence of the next failure: -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp',
      ];
    case 'go':
      return [
        '# Go: import _ "net/http/pprof" and serve it on localhost:6060, then take two heap profiles 15-30 minutes apart:',
        `${exec('wget -qO- http://localhost:6060/debug/pprof/heap')} > heap-1.pb.gz`,
        `${exec('wget -qO- http://localhost:6060/debug/pprof/heap')} > heap-2.pb.gz`,
        'go tool pprof -sample_index=inuse_space -base heap-1.pb.gz heap-2.pb.gz   # top: what grew',
        '# goroutine leaks grow memory too: /debug/pprof/goroutine?debug=1',
      ];
    case 'python':
      return [
        '# Python: trace allocations (PYTHONTRACEMALLOC=25 in the environment), then compare two tracemalloc snapshots',
        '#   taken minutes apart: snapshot2.compare_to(snapshot1, "lineno")[:20]; or memray attach <pid> if memray is in the image',
        `${exec('ps -o pid,rss,args')}   # which worker grows`,
        '# meanwhile bound it: gunicorn --max-requests 1000 --max-requests-jitter 100, celery --max-tasks-per-child 100',
      ];
    default:
      return ['# runtime not identified: take two heap dumps or profiles with its own tools, some minutes apart, and compare'];
  }
}

function cgroupSteps(exec: (command: string) => string): string[] {
  return [
    `${exec('cat /sys/fs/cgroup/memory.stat')}   # cgroup v1: /sys/fs/cgroup/memory/memory.stat; run twice`,
    '# anon growing: the process heap; file or shmem growing: page cache, tmpfs or /dev/shm files, not a heap leak',
  ];
}

function lambdaSteps(ctx: PlanContext): string[] {
  const fn = ctx.lambda?.functionName ?? ctx.target.functionName ?? 'FUNCTION';
  const probe = {
    node: 'process.memoryUsage().heapUsed',
    jvm: 'Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()',
    python: 'tracemalloc.get_traced_memory()',
  }[ctx.settings.runtime as 'node' | 'jvm' | 'python'] ?? 'the runtime\'s heap figure';
  return [
    '# Each log stream is one sandbox: Max Memory Used rising inside one stream is a leak across invocations.',
    `aws logs start-query --log-group-name /aws/lambda/${fn} --start-time START --end-time END --query-string 'filter @type = "REPORT" | stats max(@maxMemoryUsed / 1000 / 1000) as maxMB, count(*) as n by @logStream, bin(10m) | sort @logStream asc'`,
    `# log ${probe} at the end of each invocation; look for module-scope caches, arrays and listeners that grow per invocation`,
  ];
}
