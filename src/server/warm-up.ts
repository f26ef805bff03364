import { readArtifactContent } from '../artifacts/read-artifact.js';
import { explainEvidence } from '../cli/explain-files.js';
import type { Evidence } from '../diagnosis/evidence.js';
import { verdictBlocks } from '../chat/slack/blocks/verdict-blocks.js';
import { threadMessages } from '../chat/slack/blocks/thread-messages.js';
import type { Verdict } from '../diagnosis/verdict.js';

const ID = 'a'.repeat(64);
// A small synthetic OOM kill (a docker inspect and its kernel lines), shaped like test/fixtures/docker and kernel.
const SAMPLE: [string, string][] = [
  ['warm-up-inspect.json', JSON.stringify([{
    Id: ID, Name: '/warm-up', Created: '2026-01-01T00:00:00Z', Path: 'sh', Args: [],
    State: { Status: 'exited', Running: false, OOMKilled: true, Dead: false, Pid: 0, ExitCode: 137, Error: '', StartedAt: '2026-01-01T00:00:01Z', FinishedAt: '2026-01-01T00:00:02Z' },
    Config: { Image: 'busybox', Env: ['PATH=/bin'], Cmd: ['sh'] },
    HostConfig: { Memory: 33554432, MemorySwap: 33554432 },
  }])],
  ['warm-up-dmesg.txt', [
    `[  797.494762] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=${ID},mems_allowed=0,oom_memcg=/docker/${ID},task_memcg=/docker/${ID},task=sh,pid=9428,uid=0`,
    '[  797.494865] Memory cgroup out of memory: Killed process 9428 (sh) total-vm:51428kB, anon-rss:32260kB, file-rss:1456kB, shmem-rss:0kB, UID:0 pgtables:112kB oom_score_adj:0',
  ].join('\n')],
];

/**
 * Runs one synthetic diagnosis through the parsers, diagnose(), plan() and the Block Kit renderers
 * before the server listens. NOTE: the first burst of commands otherwise meets functions V8 has not
 * compiled yet, and their acks wait behind it: in bench/slack-ack.ts, the first burst of 50 on a busy
 * 2-vCPU host took 120-200 ms at its slowest without this, 45-80 ms with it (warm bursts: 20-60 ms).
 * Returns the cause, so a test can check it took the whole path.
 */
export async function warmUp(): Promise<Verdict['cause']> {
  const evidence: Evidence[] = [];
  for (const [name, content] of SAMPLE) evidence.push(...(await readArtifactContent(name, content)).evidence);
  const explanation = explainEvidence(evidence, []);
  const progress = { target: 'docker:warm-up', requester: 'U0WARMUP', runbook: 'docker-container', steps: [] };
  const buttons = explanation.proposals.filter((p) => p.executable).map((proposal) => ({ proposal, recordId: 'prop_warm_up' }));
  verdictBlocks({ progress, explanation, buttons });
  threadMessages({ explanation, artifacts: Object.fromEntries(SAMPLE), buttons, notApplied: [] });
  return explanation.verdict.cause;
}
