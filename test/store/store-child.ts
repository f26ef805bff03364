/**
 * A second OS process on the same store file, driven by the store tests:
 *   race <db> <name>       opens the store and prints "ready"; then for each line on stdin ("proposal <i>",
 *                          "event <i>" or "job") prints "trying", makes that one attempt (approve p<i>,
 *                          record event e<i>, claim a "storm" job) and prints what it won as JSON;
 *                          "end" closes the store.
 *   commit-then-die <db>   writes one of everything, then SIGKILLs itself right after the last commit.
 */
import { createInterface } from 'node:readline';
import { createSqliteStore } from '../../src/store/sqlite-store.js';

const [mode, db, name = 'child'] = process.argv.slice(2);
if (!db) throw new Error('usage: store-child.js race|commit-then-die <db> [name]');

if (mode === 'race') {
  const store = createSqliteStore(db, { busyTimeoutMs: 60_000 });
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'end') { store.close(); lines.close(); process.stdin.destroy(); return; }
    const [op, i] = line.split(' ');
    // Written before the attempt (pipe writes are synchronous on Linux), so the parent knows this process
    // is inside the store call, waiting on the write lock the parent holds.
    process.stdout.write('trying\n');
    let won: boolean | string | null;
    if (op === 'proposal') won = store.transitionProposal(`p${i}`, ['open'], 'executing', { approver: name });
    else if (op === 'event') won = store.recordEvent('pagerduty', `e${i}`, { from: name });
    else won = store.claimNext('storm', name)?.id ?? null;
    process.stdout.write(`${JSON.stringify({ won })}\n`);
  });
} else if (mode === 'commit-then-die') {
  const store = createSqliteStore(db);
  store.createIncident({ id: 'inc-killed', trigger: 'pagerduty', target: 'k8s:shop/web-7d9', status: 'running', externalId: 'PD123' });
  store.updateIncident('inc-killed', { status: 'done', verdict: { cause: 'cgroup_oom' } as never });
  store.addProposal({ id: 'prop-killed', incidentId: 'inc-killed', proposal: { id: 'raise_memory_limit:kubernetes' } as never, createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
  store.transitionProposal('prop-killed', ['open'], 'executing', { approver: 'U42' });
  store.recordEvent('pagerduty', 'delivery-killed', { n: 1 });
  const job = store.enqueue('storm', { n: 1 });
  store.claimNext('storm', 'doomed-worker');
  store.audit({ actor: 'U42', action: 'approve', incidentId: 'inc-killed', proposalId: 'prop-killed', result: 'ok', detail: `last write before the kill (${job})` });
  // No close(), no checkpoint: the WAL holds the commits when the process dies.
  process.kill(process.pid, 'SIGKILL');
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}
