/**
 * Slack ack benchmark: the real Bolt app (startServer, HTTP mode, SQLite store) in its own process on
 * loopback, against the fake Slack Web API in this one, hit by bursts of signed `/why137 docker:…` slash
 * commands sent all at once (the app and the client in one process would time each other's work). Reports
 * the ack latency (HTTP response time of the command: Slack gives up after 3 s) p50/p99, and the time
 * from sending the command to the verdict message (the chat.update that carries it), with the docker
 * runbook's sources replaced by fakes of realistic latency (50-500 ms each, seeded) returning the
 * recorded OOM kill, and every Web API call answered after `--slack-ms`.
 *
 *   npm run build && node dist/bench/slack-ack.js [--concurrency 50] [--rounds 5] [--seed 137] [--slack-ms 40] [--json]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { z } from 'zod';
import { readConfig } from '../src/config/read-config.js';
import { startServer } from '../src/server/start-server.js';
import { createSqliteStore } from '../src/store/sqlite-store.js';
import { sources as realSources } from '../src/sources/index.js';
import type { Source, StepOutput } from '../src/sources/source.js';
import type { Executor } from '../src/remediation/execute/executor.js';
import type { Edit } from '../src/remediation/edit.js';
import { reviseDocker } from '../src/remediation/execute/revise-docker.js';
import { FAKE_BOT_TOKEN, startFakeSlack, type SlackCall } from '../test/fakes/slack-api.js';
import { postSigned } from '../test/helpers/slack-signing.js';
import { slashCommand } from '../test/helpers/slack-payloads.js';
import { prng } from './prng.js';
import { percentile } from './percentile.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const fixture = (...p: string[]): string => readFileSync(path.join(ROOT, 'test', 'fixtures', ...p), 'utf8');
const SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
// Round trips to the Docker engine API and SSH to the host, as seen from a bot near them.
const SOURCE_MS: [number, number] = [50, 500];
// Reading a container's limits before the buttons are offered: one inspect.
const SNAPSHOT_MS = 20;

const args = parseArgs({ options: {
  concurrency: { type: 'string', default: '50' }, rounds: { type: 'string', default: '5' }, seed: { type: 'string', default: '137' },
  'slack-ms': { type: 'string', default: '40' }, json: { type: 'boolean', default: false },
  // Bursts sent first and not counted (0: the first counted burst meets a process that just started).
  warmup: { type: 'string', default: '0' },
  // Internal: the app's process, given the fake Slack's URL; prints its port.
  'app-for': { type: 'string' },
} }).values;
const concurrency = Number(args.concurrency);
const rounds = Number(args.rounds);
const slackMs = Number(args['slack-ms']);

const random = prng(Number(args.seed));
const draw = (): number => Math.round(SOURCE_MS[0] + random() * (SOURCE_MS[1] - SOURCE_MS[0]));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const ARTIFACTS: Record<string, [string, string][]> = {
  'docker.inspect': [['docker-inspect.json', fixture('docker', 'inspect-oom-killed-cgroupv1.json')]],
  'docker.events': [['docker-events.jsonl', fixture('docker', 'events-oom-killed.jsonl')]],
  'ssh.kernel-log': [['dmesg.txt', fixture('kernel', 'recorded-dmesg-docker-oom-cgroupv1-kernel6.18.txt')]],
};
const fake = (name: string): Source => ({
  name, reads: name, params: z.object({}).passthrough(),
  async collect(): Promise<StepOutput> {
    await sleep(draw());
    return { artifacts: ARTIFACTS[name]!.map(([n, content]) => ({ name: n, content })), facts: {}, calls: 1 };
  },
});
type DockerEdit = Extract<Edit, { platform: 'docker' }>;
const executor: Executor<DockerEdit> = {
  platform: 'docker',
  async snapshot() { await sleep(SNAPSHOT_MS); return { fingerprint: 'f', state: { memoryBytes: 33554432 } }; },
  apply: () => Promise.reject(new Error('the bench applies nothing')),
  rollback: () => Promise.reject(new Error('the bench rolls back nothing')),
  revise: reviseDocker,
};


if (args['app-for'] !== undefined) {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-bench-slack-'));
  const config = readConfig({ WHY137_CONFIG: '', SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: args['app-for'] });
  const store = createSqliteStore(path.join(dir, 'why137.sqlite'));
  const server = await startServer({
    config, env: {}, store, logger: pino({ level: 'silent' }), port: 0, host: '127.0.0.1',
    sources: { ...realSources, ...Object.fromEntries(Object.keys(ARTIFACTS).map((n) => [n, fake(n)])) },
    executors: { docker: executor },
  });
  process.stdout.write(`${server.port}\n`);
  process.once('SIGTERM', () => { void server.close().then(() => { store.close(); rmSync(dir, { recursive: true, force: true }); process.exit(0); }); });
} else {
  await bench();
}

async function bench(): Promise<void> {
  const slack = await startFakeSlack();
  slack.latencyMs = slackMs;
  const app = spawn(process.execPath, [fileURLToPath(import.meta.url), '--app-for', slack.apiUrl, '--seed', String(args.seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    app.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; if (out.includes('\n')) resolve(Number(out.trim())); });
    app.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening`)));
  });
  const url = `http://127.0.0.1:${port}/slack/events`;

  const acks: number[] = [];
  const roundMax: number[] = [];
  const verdicts: number[] = [];
  const firstPosts: number[] = [];
  const status = new Map<number, number>();
  const isVerdictIn = (channel: string) => (c: SlackCall): boolean => c.body.channel === channel && JSON.stringify(c.body.blocks ?? []).includes('"header"');
  const warmup = Number(args.warmup);
  for (let round = -warmup; round < rounds; round++) {
    const counted = round >= 0;
    const burst: number[] = [];
    await Promise.all(Array.from({ length: concurrency }, async (_, i) => {
      const channel = `C${round}X${i}`;
      const body = slashCommand({ text: 'docker:why137-oom', channel, user: `U0B${i}` });
      const t0 = performance.now();
      const first = slack.waitFor('chat.postMessage', (c) => c.body.channel === channel, 120_000).then(() => performance.now() - t0);
      const verdict = slack.waitFor('chat.update', isVerdictIn(channel), 120_000).then(() => performance.now() - t0);
      const res = await postSigned(url, SECRET, body);
      burst.push(res.ms);
      const [f, v] = await Promise.all([first, verdict]);
      if (!counted) return;
      status.set(res.status, (status.get(res.status) ?? 0) + 1);
      acks.push(res.ms);
      firstPosts.push(f);
      verdicts.push(v);
    }));
    if (counted) roundMax.push(Math.max(...burst));
  }
  const stopped = new Promise((r) => app.once('exit', r));
  app.kill('SIGTERM');
  await stopped;
  await slack.close();

  const result = {
    concurrency, rounds, commands: acks.length, statuses: Object.fromEntries(status), slackMs,
    ackMs: { p50: percentile(acks, 50), p99: percentile(acks, 99), max: Math.max(...acks), maxPerBurst: roundMax.map((m) => Math.round(m)) },
    firstMessageMs: { p50: percentile(firstPosts, 50), p99: percentile(firstPosts, 99) },
    verdictMs: { p50: percentile(verdicts, 50), p95: percentile(verdicts, 95), p99: percentile(verdicts, 99), max: Math.max(...verdicts) },
  };
  const r1 = (n: number): string => n.toFixed(1);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write([
      `${result.commands} signed /why137 commands in ${rounds} bursts of ${concurrency}, Slack API latency ${slackMs} ms, sources 50-500 ms (seed ${args.seed}); HTTP statuses ${JSON.stringify(result.statuses)}`,
      'measure                          p50      p99      max   (ms)',
      `ack (HTTP response)          ${r1(result.ackMs.p50).padStart(7)}  ${r1(result.ackMs.p99).padStart(7)}  ${r1(result.ackMs.max).padStart(7)}`,
      `command → progress message   ${r1(result.firstMessageMs.p50).padStart(7)}  ${r1(result.firstMessageMs.p99).padStart(7)}`,
      `command → verdict message    ${r1(result.verdictMs.p50).padStart(7)}  ${r1(result.verdictMs.p99).padStart(7)}  ${r1(result.verdictMs.max).padStart(7)}`,
      `slowest ack in each burst: ${result.ackMs.maxPerBurst.join(', ')} ms`,
      '',
    ].join('\n'));
  }
}
