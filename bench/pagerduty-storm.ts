/**
 * PagerDuty storm benchmark: a storm of signed v3 webhooks on loopback against the bot in its own process
 * (the webhook route on the server's HTTP listener, the SQLite store with its fsync per commit, the
 * durable queue and worker, the real Docker runbook, parsers and thread flow with the Docker sources
 * faked), with the fake Slack Web API and the fake PagerDuty REST API in this process. Reports accepted
 * webhooks per second (until every delivery has its 2xx), the time from the first delivery to the first
 * Slack post, the time until every diagnosis has its PagerDuty note, and the bot's peak RSS.
 *
 *   npm run build && node dist/bench/pagerduty-storm.js [--events 1000] [--targets 50] [--concurrency 50] [--json]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const SECRET = 'whsec-bench-0123456789abcdef';

interface BotReport { rssBeforeMb: number; peakRssMb: number; maxRssMb: number; heapUsedMb: number }

if (process.argv.includes('--bot')) await bot();
else await main();

/** The bot, as `why137 serve` runs it for PagerDuty: one listener, the store, the trigger wired to the Slack flow. */
async function bot(): Promise<void> {
  const [{ readConfig }, { createSqliteStore }, { createHttpServer }, { healthz }, { createTaskTracker }, { loadRunbooks }, { pagerdutyForSlack }, { fakeDockerSources, fakeDockerEngine }, bolt, { pino }] = await Promise.all([
    import('../src/config/read-config.js'), import('../src/store/sqlite-store.js'), import('../src/server/create-http-server.js'),
    import('../src/server/routes/healthz.js'), import('../src/server/task-tracker.js'), import('../src/runbooks/load-runbooks.js'),
    import('../src/triggers/pagerduty/pagerduty-for-slack.js'), import('../test/chat/slack/docker-fakes.js'), import('@slack/bolt'), import('pino'),
  ]);
  const config = readConfig(process.env, process.env.BENCH_CONFIG);
  const store = createSqliteStore(config.store.path);
  const logger = pino({ level: 'silent' });
  const fakes = fakeDockerSources();
  fakes.deny.clear();
  const web = new bolt.default.webApi.WebClient(process.env.SLACK_BOT_TOKEN, { slackApiUrl: process.env.SLACK_API_URL, retryConfig: { retries: 0 } });
  const trigger = pagerdutyForSlack({
    web, store, config, clients: {} as never, sources: fakes.sources, runbooks: loadRunbooks({ sources: fakes.sources, userDir: undefined }),
    executors: { docker: fakeDockerEngine().executor }, logger, tasks: createTaskTracker(logger), now: () => new Date(),
    groupMembers: async () => [], newId: (p) => `${p}_${randomUUID()}`, signal: new AbortController().signal,
  }, { foldDelayMs: 2_000 })!;
  const server = createHttpServer({ routes: [healthz(), trigger.route], logger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  trigger.start();
  const mb = (b: number): number => Math.round((b / 1024 / 1024) * 10) / 10;
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 10).unref();
  process.on('message', (m: string) => {
    if (m !== 'report') return;
    peak = Math.max(peak, process.memoryUsage().rss);
    const report: BotReport = { rssBeforeMb: mb(rssBefore), peakRssMb: mb(peak), maxRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10, heapUsedMb: mb(process.memoryUsage().heapUsed) };
    process.send!(report, () => process.exit(0));
  });
  process.send!({ port: (server.address() as AddressInfo).port });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '1000' }, targets: { type: 'string', default: '50' }, concurrency: { type: 'string', default: '50' }, json: { type: 'boolean', default: false }, bot: { type: 'boolean', default: false } } });
  const events = Number(values.events);
  const targets = Number(values.targets);
  const { startFakeSlack, FAKE_BOT_TOKEN } = await import('../test/fakes/slack-api.js');
  const { startFakePagerDutyApi } = await import('../test/fakes/pagerduty-api.js');
  const { postSigned, webhookVariant, eventId } = await import('../test/helpers/pagerduty-webhooks.js');
  const slack = await startFakeSlack();
  const pd = await startFakePagerDutyApi();

  // One PagerDuty incident per delivery, spread over `targets` containers on build-01.
  const alert = (JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'pagerduty', 'alerts-docker-container-exited.json'), 'utf8')) as { alerts: unknown[] }).alerts[0];
  const template = JSON.stringify(alert);
  const bodies: string[] = [];
  for (let i = 0; i < events; i++) {
    const incidentId = `QBENCH${String(i).padStart(6, '0')}`;
    pd.setAlerts(incidentId, [JSON.parse(template.replaceAll('ci-runner-7', `ci-runner-${i % targets}`))]);
    bodies.push(webhookVariant('webhook-docker-container-exited.json', { eventId: eventId(i), incidentId, title: `Container ci-runner-${i % targets} on build-01 exited 137` }));
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'why137-bench-pd-'));
  const configFile = path.join(dir, 'why137.yaml');
  writeFileSync(configFile, `docker:\n  hosts:\n    build-01: { url: "ssh://why137@build-01.internal" }\npagerduty:\n  services:\n    - { id: PCIHOST, channel: C0CIHOSTS }\nstore:\n  path: ${path.join(dir, 'why137.sqlite')}\n`);
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--bot'], {
    env: {
      ...process.env, BENCH_CONFIG: configFile, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_API_URL: slack.apiUrl,
      PAGERDUTY_WEBHOOK_SECRET: SECRET, PAGERDUTY_API_TOKEN: pd.token, PAGERDUTY_FROM_EMAIL: pd.fromEmail, PAGERDUTY_API_URL: pd.url,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number }>((resolve, reject) => { child.once('message', (m) => resolve(m as { port: number })); child.once('exit', (c) => reject(new Error(`bot exited ${c}`))); });
  const url = `http://127.0.0.1:${ready.port}`;

  const t0 = performance.now();
  const firstPost = slack.waitFor('chat.postMessage', undefined, 120_000).then(() => performance.now() - t0);
  let next = 0;
  let retries = 0;
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  await Promise.all(Array.from({ length: Number(values.concurrency) }, async () => {
    while (next < bodies.length) {
      const i = next++;
      for (;;) {
        const sent = performance.now();
        const r = await postSigned(url, bodies[i]!, [SECRET]).catch(() => ({ status: 0, text: '' }));
        latencies.push(performance.now() - sent);
        if (r.status >= 200 && r.status < 300) { statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1); break; }
        retries++;
      }
    }
  }));
  const acceptMs = performance.now() - t0;
  const ttfp = await firstPost;
  await pd.waitForNotes(targets, 300_000);
  const notesMs = performance.now() - t0;
  const report = await new Promise<BotReport>((resolve) => { child.once('message', (m) => resolve(m as BotReport)); child.send('report'); });
  const diagnoses = slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === undefined).length;
  await slack.close();
  await pd.close();

  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!);
  const result = {
    events, targets, concurrency: Number(values.concurrency),
    acceptedPerSecond: Math.round(events / (acceptMs / 1000)), acceptMs: Math.round(acceptMs), retries,
    answerMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: Math.round(latencies.at(-1)!) },
    answers: Object.fromEntries(statuses), timeToFirstSlackPostMs: Math.round(ttfp), timeToLastNoteMs: Math.round(notesMs),
    diagnoses, ...report,
  };
  if (values.json) { process.stdout.write(`${JSON.stringify(result, null, 2)}\n`); return; }
  process.stdout.write([
    `PagerDuty storm: ${events} signed webhooks for ${targets} targets, ${result.concurrency} at once, on loopback`,
    `accepted            ${result.acceptedPerSecond} webhooks/s (${result.acceptMs} ms for all; answers ${JSON.stringify(result.answers)}; ${retries} retried)`,
    `answer time         p50 ${result.answerMs.p50} ms, p95 ${result.answerMs.p95} ms, p99 ${result.answerMs.p99} ms, max ${result.answerMs.max} ms`,
    `first Slack post    ${result.timeToFirstSlackPostMs} ms after the first delivery`,
    `last note           ${result.timeToLastNoteMs} ms (${diagnoses} diagnoses, ${events - diagnoses} folded)`,
    `bot RSS             ${result.rssBeforeMb} MB before, ${result.peakRssMb} MB peak (sampled every 10 ms), ${result.maxRssMb} MB max RSS (getrusage)`,
  ].join('\n') + '\n');
}
