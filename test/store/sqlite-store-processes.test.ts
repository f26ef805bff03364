import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { proposalInput, tempDbPath } from './store-builders.js';

/** Real OS processes on one file: the guarantees hold between replicas, not only between calls in one process. */
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'store-child.js');
const PROCESSES = 4;
const ROUNDS = 20;

const started: ChildProcess[] = [];
// A failed assertion leaves the children waiting on stdin: end them, or Jest waits on their pipes forever.
afterEach(() => { for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });

/** One child process on the store, answering one line per command it is sent. */
function startRacer(file: string, name: string): { send(line: string): void; next(): Promise<string>; exited: Promise<void> } {
  const child = spawn(process.execPath, [CHILD, 'race', file, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  started.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  const failed: ((e: Error) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => { const w = waiting.shift(); failed.shift(); if (w) w(l); else lines.push(l); });
  const exited = new Promise<void>((resolve, reject) => child.once('close', (code) => {
    const e = new Error(`${name} exited ${code}: ${stderr}`);
    for (const f of failed.splice(0)) f(e);
    if (code === 0) resolve(); else reject(e);
  }));
  return {
    send: (line) => child.stdin.write(`${line}\n`),
    next: () => new Promise((resolve, reject) => { const l = lines.shift(); if (l !== undefined) resolve(l); else { waiting.push(resolve); failed.push(reject); } }),
    exited,
  };
}

describe('SQLite store across OS processes', () => {
  test(`${PROCESSES} processes racing for the same proposal, event and job, ${ROUNDS} times each: exactly one winner`, async () => {
    const file = tempDbPath();
    const setup = createSqliteStore(file);
    setup.createIncident({ id: 'inc-1', trigger: 'pagerduty', target: 'k8s:shop/web', status: 'done' });
    const now = new Date().toISOString();
    for (let i = 0; i < ROUNDS; i++) setup.addProposal(proposalInput(`p${i}`, 'inc-1', now, 3_600_000));
    const jobs = Array.from({ length: ROUNDS * PROCESSES }, (_, i) => setup.enqueue('storm', { n: i }));

    const racers = Array.from({ length: PROCESSES }, (_, n) => startRacer(file, `U${n}`));
    for (const r of racers) expect(await r.next()).toBe('ready');
    // The test holds the write lock while every process starts its attempt, so all of them are inside the
    // same store call when it is released: the attempts overlap whatever the machine's speed or core count.
    const holder = new DatabaseSync(file);
    const round = async (command: string): Promise<(boolean | string | null)[]> => {
      holder.exec('BEGIN IMMEDIATE');
      try {
        for (const r of racers) r.send(command);
        for (const r of racers) expect(await r.next()).toBe('trying');
        // Time for the last process to get from its "trying" line to the lock (only the overlap depends on it).
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        holder.exec('ROLLBACK');
      }
      return Promise.all(racers.map(async (r) => (JSON.parse(await r.next()) as { won: boolean | string | null }).won));
    };

    const approvers: string[] = [];
    const claimed: string[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const proposal = await round(`proposal ${i}`);
      expect(proposal.filter((w) => w === true)).toHaveLength(1);
      approvers.push(`U${proposal.indexOf(true)}`);
      expect((await round(`event ${i}`)).filter((w) => w === true)).toHaveLength(1);
      // Four claims at once take four different jobs.
      const got = await round('job');
      expect(new Set(got).size).toBe(PROCESSES);
      claimed.push(...got.map(String));
    }
    for (const r of racers) r.send('end');
    await Promise.all(racers.map((r) => r.exited));
    holder.close();

    // The stored approver is the process that was told it won; every job went to exactly one process.
    for (let i = 0; i < ROUNDS; i++) expect(setup.getProposal(`p${i}`)?.approver).toBe(approvers[i]);
    expect(claimed.sort()).toEqual([...jobs].sort());
    expect(setup.claimNext('storm', 'late')).toBeUndefined();
    setup.close();
  });

  test('a process SIGKILLed right after its last commit (WAL not checkpointed) loses nothing', () => {
    const file = tempDbPath();
    const run = spawnSync(process.execPath, [CHILD, 'commit-then-die', file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.signal).toBe('SIGKILL');
    // The commits sit in the WAL: the child never closed, so nothing was checkpointed into the main file.
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);

    const store = createSqliteStore(file);
    expect(store.getIncident('inc-killed')).toMatchObject({ status: 'done', externalId: 'PD123', verdict: { cause: 'cgroup_oom' } });
    expect(store.getProposal('prop-killed')).toMatchObject({ status: 'executing', approver: 'U42' });
    expect(store.transitionProposal('prop-killed', ['open'], 'executing')).toBe(false);
    expect(store.recordEvent('pagerduty', 'delivery-killed', {})).toBe(false);
    expect(store.listAudit({ proposalId: 'prop-killed' })).toEqual([expect.objectContaining({ action: 'approve', detail: expect.stringMatching(/^last write before the kill/) })]);
    // The dead worker's claim is recovered by requeueStale.
    expect(store.claimNext('storm', 'w2')).toBeUndefined();
    expect(store.requeueStale('storm', new Date(Date.now() + 1000).toISOString())).toBe(1);
    expect(store.claimNext('storm', 'w2')?.payload).toEqual({ n: 1 });
    store.close();
  });
});
