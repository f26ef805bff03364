/**
 * Time-to-verdict benchmark: runs the real runbooks (runbooks/*.yaml) through the real engine, parsers and
 * decision tree, with every source replaced by a fake that waits an injected latency and returns recorded
 * fixture artifacts. Latencies come from a seeded PRNG: 50-500 ms per API source, 2-10 s for Logs Insights
 * (StartQuery, then polling GetQueryResults). Reports, per runbook, p50/p95 time-to-verdict beside the
 * slowest single path through the step graph (the floor any collector has) and the sum of all latencies (what
 * one-after-another collection would cost), and the API calls each diagnosis makes.
 *
 *   npm run build && node dist/bench/time-to-verdict.js [--runs 20] [--seed 137] [--concurrency 40] [--json]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadRunbooks } from '../src/runbooks/load-runbooks.js';
import { runRunbook } from '../src/runbooks/run-runbook.js';
import type { Runbook } from '../src/runbooks/runbook-schema.js';
import { explainEvidence } from '../src/cli/explain-files.js';
import type { Source, StepOutput } from '../src/sources/source.js';
import type { SourceRegistry } from '../src/sources/index.js';
import type { Clients } from '../src/clients/clients.js';
import type { Target } from '../src/targets/target.js';
import { prng } from './prng.js';
import { percentile } from './percentile.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const fixture = (...p: string[]): string => readFileSync(path.join(ROOT, 'test', 'fixtures', ...p), 'utf8');

// Round trips to regional control-plane APIs and SSH to a node, as seen from a bot in the same region.
const API_MS: [number, number] = [50, 500];
// A Logs Insights query over an hour of logs: StartQuery to Complete.
const INSIGHTS_MS: [number, number] = [2_000, 10_000];
// The Insights source polls GetQueryResults after 0.5 s, then doubling waits up to 5 s (src/sources/logs-insights.ts).
const POLL_WAITS_MS = [500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000];

interface Fake { artifacts: [string, string][]; facts?: Record<string, unknown>; calls: number }

/** What each source returns in the bench: recorded fixtures of one incident per platform, and the calls a real one makes. */
function fakes(kind: Runbook['target'] = 'k8s'): Record<string, Fake> {
  const kernel = kind === 'k8s' || kind === 'k8s-workload' ? fixture('kernel', 'cgroupv2-kernel5.15-kubepods-systemd-journalctl-k.txt')
    : kind === 'ecs' || kind === 'ecs-service' ? fixture('kernel', 'ecs-ec2-cgroupv1-kernel4.14-task-limit-journalctl-k.txt')
      : kind === 'host' ? fixture('kernel', 'global-oom-kernel5.10-docker-task-dmesg.txt')
        : fixture('kernel', 'recorded-dmesg-docker-oom-cgroupv1-kernel6.18.txt');
  const insights = kind === 'lambda' ? fixture('logs', 'insights-report-lines.json') : fixture('logs', 'insights-ecs-java-oom.json');
  const owner = '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"checkout-api","namespace":"shop"}}\n';
  return {
    'kubernetes.workload-pod': { artifacts: [], facts: { pod: 'checkout-api-6d8f7b9c54-x7k2p', namespace: 'shop' }, calls: 3 },
    'kubernetes.pod': { artifacts: [['pod.json', fixture('kubernetes', 'pod-oomkilled-crashloop.json')]], facts: { nodeName: 'ip-10-42-3-117.eu-west-1.compute.internal' }, calls: 1 },
    'kubernetes.events': { artifacts: [['events.json', fixture('kubernetes', 'events-system-oom.json')]], calls: 1 },
    'kubernetes.node': { artifacts: [['node.yaml', fixture('kubernetes', 'node-healthy.yaml')]], calls: 1 },
    'kubernetes.owner': { artifacts: [['owner.json', owner]], calls: 2 },
    'ecs.tasks': { artifacts: [['ecs-tasks.json', fixture('ecs', 'tasks-ec2-soft-limit-oom.json')]], calls: 1 },
    'ecs.service-task': { artifacts: [['ecs-tasks.json', fixture('ecs', 'tasks-ec2-soft-limit-oom.json')]], calls: 2 },
    'ecs.task-definition': { artifacts: [['ecs-task-definition.yaml', fixture('ecs', 'taskdef-soft-only.yaml')]], calls: 1 },
    'ecs.container-instance': { artifacts: [['container-instance.json', fixture('ecs', 'container-instances-ec2.json')]], calls: 1 },
    'logs.insights': { artifacts: [['insights.json', insights]], calls: 1 },
    'lambda.config': { artifacts: [['lambda-config.json', fixture('lambda', 'config-node18-512.json')]], calls: 1 },
    'docker.inspect': { artifacts: [['docker-inspect.json', fixture('docker', 'inspect-oom-killed-cgroupv1.json')]], calls: 1 },
    'docker.events': { artifacts: [['docker-events.jsonl', fixture('docker', 'events-oom-killed.jsonl')]], calls: 1 },
    'ssh.kernel-log': { artifacts: [['dmesg.txt', kernel]], calls: 1 },
  };
}

const TARGETS: Record<Runbook['target'], Target> = {
  'k8s': { kind: 'k8s', namespace: 'shop', pod: 'checkout-api-6d8f7b9c54-x7k2p' },
  'k8s-workload': { kind: 'k8s-workload', namespace: 'shop', workload: 'deployment', name: 'checkout-api' },
  'ecs': { kind: 'ecs', cluster: 'prod', task: '0123456789abcdef0123456789abcdef' },
  'ecs-service': { kind: 'ecs-service', cluster: 'prod', service: 'api' },
  'docker': { kind: 'docker', container: 'why137-oom' },
  'lambda': { kind: 'lambda', functionName: 'resize-image' },
  'host': { kind: 'host', name: 'node-1' },
};


const between = (random: () => number, [lo, hi]: [number, number]): number => Math.round(lo + random() * (hi - lo));

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

/** A registry of fakes whose latency for each step comes from `plan` (drawn before the run, so concurrency cannot change the draws). */
function registry(plan: Map<string, number>, kind?: Runbook['target']): SourceRegistry {
  const table = fakes(kind);
  return Object.fromEntries(Object.entries(table).map(([name, f]): [string, Source] => [name, {
    name, reads: `bench ${name}`, params: z.object({}).passthrough(),
    async collect(ctx): Promise<StepOutput> {
      const ms = plan.get(name) ?? 0;
      await sleep(ms, ctx.signal);
      const polls = name === 'logs.insights' ? POLL_WAITS_MS.findIndex((_, i) => POLL_WAITS_MS.slice(0, i + 1).reduce((a, b) => a + b, 0) >= ms) + 1 : 0;
      return { artifacts: f.artifacts.map(([n, content]) => ({ name: n, content })), facts: f.facts ?? {}, calls: f.calls + polls };
    },
  }]));
}

/** The longest path through the step graph, each step weighing its latency: no collector can beat it. */
function slowestPath(rb: Runbook, latency: (source: string) => number): number {
  const done = new Map<string, number>();
  const finish = (id: string): number => {
    const known = done.get(id);
    if (known !== undefined) return known;
    const step = rb.steps.find((s) => s.id === id)!;
    const t = Math.max(0, ...step.needs.map(finish)) + latency(step.source);
    done.set(id, t);
    return t;
  };
  return Math.max(...rb.steps.map((s) => finish(s.id)));
}

interface Sample { runbook: string; ttvMs: number; pathMs: number; sumMs: number; calls: number; cause: string; failed: number }

async function diagnoseOnce(rb: Runbook, random: () => number): Promise<() => Promise<Sample>> {
  const plan = new Map<string, number>();
  for (const s of rb.steps) if (!plan.has(s.source)) plan.set(s.source, between(random, s.source === 'logs.insights' ? INSIGHTS_MS : API_MS));
  const sources = registry(plan, rb.target);
  const latency = (source: string): number => plan.get(source) ?? 0;
  const clients = new Proxy({} as Clients, { get: () => () => { throw new Error('the bench uses no clients'); } });
  return async () => {
    const t0 = performance.now();
    const result = await runRunbook(rb, { target: TARGETS[rb.target], clients, sources });
    const x = explainEvidence(result.evidence, result.inputs);
    const ttvMs = performance.now() - t0;
    return {
      runbook: rb.name, ttvMs, pathMs: slowestPath(rb, latency), sumMs: rb.steps.reduce((a, s) => a + latency(s.source), 0),
      calls: result.steps.reduce((a, s) => a + s.calls, 0), cause: x.verdict.cause, failed: result.steps.filter((s) => s.status !== 'ok').length,
    };
  };
}


async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, seed: { type: 'string', default: '137' }, concurrency: { type: 'string', default: '40' }, json: { type: 'boolean', default: false } } });
  const runs = Number(values.runs);
  const random = prng(Number(values.seed));
  const names = Object.keys(fakes());
  const allSources: SourceRegistry = registry(new Map(names.map((n) => [n, 0])));
  const runbooks = [...loadRunbooks({ sources: allSources }).values()].sort((a, b) => a.name.localeCompare(b.name));

  const jobs: (() => Promise<Sample>)[] = [];
  for (const rb of runbooks) for (let i = 0; i < runs; i++) jobs.push(await diagnoseOnce(rb, random));
  const samples: Sample[] = [];
  const workers = Array.from({ length: Math.max(1, Number(values.concurrency)) }, async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) samples.push(await job());
  });
  await Promise.all(workers);

  const rows = runbooks.map((rb) => {
    const s = samples.filter((x) => x.runbook === rb.name);
    const over = s.map((x) => x.ttvMs - x.pathMs);
    return {
      runbook: rb.name, runs: s.length,
      ttvP50: percentile(s.map((x) => x.ttvMs), 50), ttvP95: percentile(s.map((x) => x.ttvMs), 95),
      pathP50: percentile(s.map((x) => x.pathMs), 50), pathP95: percentile(s.map((x) => x.pathMs), 95),
      overheadP95: percentile(over, 95), sumP50: percentile(s.map((x) => x.sumMs), 50),
      callsPerDiagnosis: s.reduce((a, x) => a + x.calls, 0) / s.length,
      causes: [...new Set(s.map((x) => x.cause))].join(','), failedSteps: s.reduce((a, x) => a + x.failed, 0),
    };
  });
  if (values.json) { process.stdout.write(`${JSON.stringify({ seed: Number(values.seed), runs, rows }, null, 2)}\n`); return; }
  const ms = (v: number): string => `${Math.round(v)}`;
  const header = ['runbook', 'runs', 'ttv p50', 'ttv p95', 'path p50', 'path p95', 'ttv-path p95', 'sequential p50', 'API calls', 'verdict'];
  const table = [header, ...rows.map((r) => [r.runbook, `${r.runs}`, ms(r.ttvP50), ms(r.ttvP95), ms(r.pathP50), ms(r.pathP95), ms(r.overheadP95), ms(r.sumP50), r.callsPerDiagnosis.toFixed(1), r.causes])];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  process.stdout.write(`time to verdict (ms), seed ${values.seed}, ${runs} runs per runbook; path = slowest single path through the steps\n`);
  for (const r of table) process.stdout.write(`${r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
  const failed = rows.reduce((a, r) => a + r.failedSteps, 0);
  if (failed > 0) process.stdout.write(`note: ${failed} steps did not finish ok (a fake took longer than its step's timeout)\n`);
}

await main();
