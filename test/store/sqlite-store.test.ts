import { DatabaseSync } from 'node:sqlite';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import type { Store } from '../../src/store/store.js';
import { applied, manualClock, proposal, proposalInput, snapshot, tempDbPath, verdict } from './store-builders.js';

const T0 = '2025-06-01T12:00:00.000Z';
const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function error(fn: () => unknown): Why137Error {
  try { fn(); } catch (e) { if (e instanceof Why137Error) return e; throw e; }
  throw new Error('expected a Why137Error');
}

let clock: ReturnType<typeof manualClock>;
let file: string;
let store: Store;
const opened: Store[] = [];
function open(options: Parameters<typeof createSqliteStore>[1] = { now: () => clock.now() }): Store {
  const s = createSqliteStore(file, options);
  opened.push(s);
  return s;
}

beforeEach(() => {
  clock = manualClock(T0);
  file = tempDbPath();
  store = open();
});
afterEach(() => { for (const s of opened.splice(0)) s.close(); });

describe('SQLite store: incidents', () => {
  test('create fills createdAt/updatedAt from the clock and triggerCount 1; get returns it; an unknown id is undefined', () => {
    const created = store.createIncident({ id: 'inc-1', trigger: 'slack', target: 'k8s:shop/web-7d9', requester: 'U42', channel: 'C1', threadTs: '1717243200.000100', status: 'queued' });
    expect(created).toEqual({ id: 'inc-1', createdAt: T0, updatedAt: T0, trigger: 'slack', target: 'k8s:shop/web-7d9', requester: 'U42', channel: 'C1', threadTs: '1717243200.000100', status: 'queued', triggerCount: 1 });
    expect(store.getIncident('inc-1')).toEqual(created);
    expect(store.getIncident('nope')).toBeUndefined();
    expect(() => store.createIncident({ id: 'inc-1', trigger: 'cli', target: 'x', status: 'queued' })).toThrow(/UNIQUE/);
  });

  test('update patches only the fields given, stores the verdict as JSON, and moves updatedAt', () => {
    store.createIncident({ id: 'inc-1', trigger: 'pagerduty', target: 'ecs:prod/abc', status: 'queued', externalId: 'PD1', triggerCount: 3 });
    clock.advance(60_000);
    const updated = store.updateIncident('inc-1', { status: 'done', verdict, messageTs: '1717243260.000200', requester: undefined });
    expect(updated).toEqual({ id: 'inc-1', createdAt: T0, updatedAt: at(1), trigger: 'pagerduty', target: 'ecs:prod/abc', status: 'done', verdict, messageTs: '1717243260.000200', externalId: 'PD1', triggerCount: 3 });
    expect(store.getIncident('inc-1')).toEqual(updated);
    expect(error(() => store.updateIncident('missing', { status: 'failed' })).message).toBe('incident missing not found; expected an id from createIncident');
  });

  test('findRecentIncident: the newest for the target since the time given, nothing older or for other targets', () => {
    store.createIncident({ id: 'old', trigger: 'pagerduty', target: 'k8s:shop/web', status: 'done' });
    clock.set(at(10));
    store.createIncident({ id: 'other', trigger: 'pagerduty', target: 'k8s:shop/api', status: 'done' });
    store.createIncident({ id: 'new', trigger: 'pagerduty', target: 'k8s:shop/web', status: 'running' });
    expect(store.findRecentIncident('k8s:shop/web', at(5))?.id).toBe('new');
    expect(store.findRecentIncident('k8s:shop/web', T0)?.id).toBe('new');
    expect(store.findRecentIncident('k8s:shop/web', at(11))).toBeUndefined();
    expect(store.findRecentIncident('k8s:shop/db', T0)).toBeUndefined();
    // A `since` in another ISO form (no milliseconds, an offset) means the same instant.
    expect(store.findRecentIncident('k8s:shop/web', '2025-06-01T14:05:00+02:00')?.id).toBe('new');
  });

  test('listIncidents: all in creation order, or those in one status', () => {
    for (const [i, status] of (['queued', 'running', 'queued', 'done'] as const).entries()) {
      clock.set(at(i));
      store.createIncident({ id: `inc-${i}`, trigger: 'cli', target: `docker:c${i}`, status });
    }
    expect(store.listIncidents().map((i) => i.id)).toEqual(['inc-0', 'inc-1', 'inc-2', 'inc-3']);
    expect(store.listIncidents('queued').map((i) => i.id)).toEqual(['inc-0', 'inc-2']);
    expect(store.listIncidents('failed')).toEqual([]);
  });

  test('foldTrigger counts every fold from every instance (no read-then-write to lose one)', () => {
    const other = open();
    store.createIncident({ id: 'storm', trigger: 'pagerduty', target: 'k8s:shop/web', status: 'running' });
    for (let i = 0; i < 5; i++) { store.foldTrigger('storm'); other.foldTrigger('storm'); }
    expect(store.getIncident('storm')?.triggerCount).toBe(11);
    expect(() => store.foldTrigger('missing')).toThrow(Why137Error);
  });
});

describe('SQLite store: proposals', () => {
  beforeEach(() => { store.createIncident({ id: 'inc-1', trigger: 'slack', target: 'k8s:shop/web-7d9', status: 'done', verdict }); });

  test('add returns it open with its proposal and snapshot; get and list (by incident, in creation order) read it back', () => {
    const added = store.addProposal(proposalInput('p1', 'inc-1', T0));
    expect(added).toEqual({ id: 'p1', incidentId: 'inc-1', proposal, snapshot, createdAt: T0, expiresAt: at(15), status: 'open' });
    store.addProposal(proposalInput('p2', 'inc-1', at(1)));
    store.createIncident({ id: 'inc-2', trigger: 'cli', target: 'docker:web', status: 'done' });
    store.addProposal(proposalInput('p3', 'inc-2', at(2)));
    expect(store.getProposal('p1')).toEqual(added);
    expect(store.getProposal('nope')).toBeUndefined();
    expect(store.listProposals('inc-1').map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(store.listProposals('inc-9')).toEqual([]);
  });

  test('a proposal must belong to a stored incident', () => {
    expect(() => store.addProposal(proposalInput('p1', 'no-such-incident', T0))).toThrow(/FOREIGN KEY/);
  });

  test('transition: only from the listed statuses, once; the patch lands with the status', () => {
    store.addProposal(proposalInput('p1', 'inc-1', T0));
    expect(store.transitionProposal('p1', ['executing'], 'executed')).toBe(false);
    expect(store.transitionProposal('p1', [], 'executing')).toBe(false);
    expect(store.transitionProposal('nope', ['open'], 'executing')).toBe(false);
    expect(store.transitionProposal('p1', ['open'], 'executing', { approver: 'U42' })).toBe(true);
    expect(store.transitionProposal('p1', ['open'], 'executing', { approver: 'U99' })).toBe(false);
    expect(store.getProposal('p1')).toMatchObject({ status: 'executing', approver: 'U42' });
    const revised = { ...proposal, changes: [{ field: 'limits.memory', before: '512Mi', after: '1Gi' }] };
    expect(store.transitionProposal('p1', ['executing'], 'executed', { applied, proposal: revised })).toBe(true);
    expect(store.getProposal('p1')).toEqual({ ...proposalInput('p1', 'inc-1', T0), proposal: revised, status: 'executed', approver: 'U42', applied });
    expect(store.transitionProposal('p1', ['executed', 'failed'], 'rolling_back')).toBe(true);
    expect(store.transitionProposal('p1', ['rolling_back'], 'rolled_back')).toBe(true);
    expect(store.getProposal('p1')?.status).toBe('rolled_back');
  });

  test('expiry inside the transition: from open fails at and after expiresAt even before expireProposals ran', () => {
    store.addProposal(proposalInput('p1', 'inc-1', T0, 15 * 60_000));
    store.addProposal(proposalInput('p2', 'inc-1', T0, 15 * 60_000));
    clock.set(at(15));
    expect(store.transitionProposal('p1', ['open'], 'executing', { approver: 'U42' })).toBe(false);
    expect(store.transitionProposal('p1', ['open'], 'refused')).toBe(false);
    expect(store.getProposal('p1')).toMatchObject({ status: 'open' });
    expect(store.getProposal('p1')?.approver).toBeUndefined();
    // Moving it to expired is the one move an expired open proposal still allows.
    expect(store.transitionProposal('p1', ['open'], 'expired')).toBe(true);
    // Expiry guards the approval only: a run that started in time may finish after expiresAt.
    clock.set(at(14));
    expect(store.transitionProposal('p2', ['open'], 'executing', { approver: 'U42' })).toBe(true);
    clock.set(at(30));
    expect(store.transitionProposal('p2', ['executing'], 'executed', { applied })).toBe(true);
  });

  test('expireProposals marks the open ones past expiry and returns them, once across instances', () => {
    store.addProposal(proposalInput('soon', 'inc-1', T0, 5 * 60_000));
    store.addProposal(proposalInput('later', 'inc-1', at(1), 60 * 60_000));
    store.addProposal(proposalInput('soon-but-approved', 'inc-1', at(2), 5 * 60_000));
    store.addProposal(proposalInput('soon-too', 'inc-1', at(3), 2 * 60_000));
    store.transitionProposal('soon-but-approved', ['open'], 'executing', { approver: 'U42' });
    expect(store.expireProposals(at(4))).toEqual([]);
    const other = open();
    const expired = store.expireProposals(at(10));
    expect(expired.map((p) => [p.id, p.status])).toEqual([['soon', 'expired'], ['soon-too', 'expired']]);
    expect(other.expireProposals(at(10))).toEqual([]);
    expect(other.getProposal('soon')?.status).toBe('expired');
    expect(other.getProposal('later')?.status).toBe('open');
    expect(other.getProposal('soon-but-approved')?.status).toBe('executing');
    expect(other.transitionProposal('soon', ['open'], 'executing')).toBe(false);
  });

  test('several store instances on one file, each trying every proposal: exactly one winner each', () => {
    const instances = [store, open(), open(), open(), open()];
    const winners = new Map<string, number[]>();
    for (let i = 0; i < 40; i++) store.addProposal(proposalInput(`p${i}`, 'inc-1', T0));
    for (let i = 0; i < 40; i++) {
      // Rotate who goes first so every instance wins some and loses some.
      for (let k = 0; k < instances.length; k++) {
        const n = (i + k) % instances.length;
        if (instances[n]!.transitionProposal(`p${i}`, ['open'], 'executing', { approver: `U${n}` })) winners.set(`p${i}`, [...(winners.get(`p${i}`) ?? []), n]);
      }
    }
    expect([...winners.values()].every((w) => w.length === 1)).toBe(true);
    expect(winners.size).toBe(40);
    for (let i = 0; i < 40; i++) expect(store.getProposal(`p${i}`)?.approver).toBe(`U${winners.get(`p${i}`)![0]}`);
  });
});

describe('SQLite store: audit, events, queue', () => {
  test('audit reads back in written order, filtered by incident, proposal or both; at defaults to the clock', () => {
    store.audit({ actor: 'system', action: 'diagnose', incidentId: 'inc-1', result: 'ok', detail: 'cgroup_oom' });
    clock.advance(1000);
    store.audit({ actor: 'U42', action: 'approve', incidentId: 'inc-1', proposalId: 'p1', result: 'ok', detail: 'approved' });
    store.audit({ actor: 'pagerduty', action: 'reject_webhook', result: 'refused', detail: 'bad signature' });
    // Back-dated: still listed where it was written.
    store.audit({ at: '2025-06-01T11:00:00Z', actor: 'U42', action: 'execute', incidentId: 'inc-1', proposalId: 'p1', result: 'failed', detail: 'conflict', before: { limit: '512Mi' }, after: null });
    store.audit({ actor: 'U7', action: 'refuse', incidentId: 'inc-2', proposalId: 'p9', result: 'ok', detail: 'no' });
    expect(store.listAudit().map((e) => e.action)).toEqual(['diagnose', 'approve', 'reject_webhook', 'execute', 'refuse']);
    expect(store.listAudit()[0]).toEqual({ at: T0, actor: 'system', action: 'diagnose', incidentId: 'inc-1', result: 'ok', detail: 'cgroup_oom' });
    expect(store.listAudit()[2]).toEqual({ at: '2025-06-01T12:00:01.000Z', actor: 'pagerduty', action: 'reject_webhook', result: 'refused', detail: 'bad signature' });
    expect(store.listAudit({ incidentId: 'inc-1' }).map((e) => e.action)).toEqual(['diagnose', 'approve', 'execute']);
    expect(store.listAudit({ proposalId: 'p1' }).map((e) => e.action)).toEqual(['approve', 'execute']);
    expect(store.listAudit({ incidentId: 'inc-2', proposalId: 'p1' })).toEqual([]);
    expect(store.listAudit({ incidentId: 'inc-1', proposalId: 'p1' })[1]).toEqual({ at: '2025-06-01T11:00:00.000Z', actor: 'U42', action: 'execute', incidentId: 'inc-1', proposalId: 'p1', result: 'failed', detail: 'conflict', before: { limit: '512Mi' }, after: null });
  });

  test('recordEvent: true the first time a source+id is seen, false after, from any instance', () => {
    const other = open();
    expect(store.recordEvent('pagerduty', 'd-1', { event: 'incident.triggered' })).toBe(true);
    expect(store.recordEvent('pagerduty', 'd-1', { event: 'incident.triggered' })).toBe(false);
    expect(other.recordEvent('pagerduty', 'd-1', {})).toBe(false);
    expect(other.recordEvent('slack', 'd-1', undefined)).toBe(true);
    expect(store.recordEvent('slack', 'd-1', null)).toBe(false);
  });

  test('queue: oldest unclaimed first per kind, a claim is never handed out twice, complete removes, requeueStale frees old claims', () => {
    const other = open();
    const a = store.enqueue('storm', { incident: 'PD1' });
    clock.advance(1000);
    const b = store.enqueue('storm', { incident: 'PD2' });
    const c = store.enqueue('other', 'c');
    const d = store.enqueue('storm', undefined);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(store.claimNext('storm', 'w1')).toEqual({ id: a, payload: { incident: 'PD1' } });
    clock.advance(60_000);
    expect(other.claimNext('storm', 'w2')).toEqual({ id: b, payload: { incident: 'PD2' } });
    expect(store.claimNext('storm', 'w1')).toEqual({ id: d, payload: undefined });
    expect(other.claimNext('storm', 'w2')).toBeUndefined();
    expect(store.claimNext('none', 'w1')).toBeUndefined();
    store.complete(d);
    // w1 claimed a at 12:00:01 and w2 claimed b at 12:01:01: only a is stale at 12:00:30.
    expect(other.requeueStale('storm', '2025-06-01T12:00:30.000Z')).toBe(1);
    expect(other.requeueStale('other', '2025-06-01T13:00:00.000Z')).toBe(0);
    expect(other.claimNext('storm', 'w3')).toEqual({ id: a, payload: { incident: 'PD1' } });
    expect(store.requeueStale('storm', '2025-06-01T13:00:00.000Z')).toBe(2);
    // Requeued work keeps its place: oldest first again.
    expect(store.claimNext('storm', 'w4')?.id).toBe(a);
    expect(store.claimNext('storm', 'w4')?.id).toBe(b);
    store.complete(a);
    store.complete(b);
    expect(store.requeueStale('storm', '2025-06-01T13:00:00.000Z')).toBe(0);
    expect(store.claimNext('storm', 'w4')).toBeUndefined();
    expect(store.claimNext('other', 'w4')).toEqual({ id: c, payload: 'c' });
  });
});

describe('SQLite store: durability and readiness', () => {
  test('restart: everything written is there in a store opened after close', () => {
    store.createIncident({ id: 'inc-1', trigger: 'pagerduty', target: 'k8s:shop/web', status: 'done', verdict, externalId: 'PD1' });
    store.addProposal(proposalInput('p1', 'inc-1', T0));
    store.addProposal(proposalInput('p2', 'inc-1', T0));
    store.transitionProposal('p1', ['open'], 'executed', { approver: 'U42', applied });
    store.audit({ actor: 'U42', action: 'execute', incidentId: 'inc-1', proposalId: 'p1', result: 'ok', detail: applied.detail, before: applied.before, after: applied.after });
    store.recordEvent('pagerduty', 'd-1', { n: 1 });
    const job = store.enqueue('storm', { n: 1 });
    const incident = store.getIncident('inc-1');
    const proposals = store.listProposals('inc-1');
    const auditLog = store.listAudit();
    store.close();

    const reopened = open();
    expect(reopened.getIncident('inc-1')).toEqual(incident);
    expect(reopened.listProposals('inc-1')).toEqual(proposals);
    expect(reopened.listAudit()).toEqual(auditLog);
    expect(reopened.recordEvent('pagerduty', 'd-1', {})).toBe(false);
    expect(reopened.transitionProposal('p1', ['open'], 'executing')).toBe(false);
    expect(reopened.transitionProposal('p2', ['open'], 'executing', { approver: 'U7' })).toBe(true);
    expect(reopened.claimNext('storm', 'w1')).toEqual({ id: job, payload: { n: 1 } });
  });

  test('writable: true when a write can be made, false while another process holds the write lock and after close', () => {
    const quick = open({ busyTimeoutMs: 50 });
    expect(quick.writable()).toBe(true);
    const holder = new DatabaseSync(file);
    holder.exec('BEGIN IMMEDIATE');
    expect(quick.writable()).toBe(false);
    holder.exec('ROLLBACK');
    holder.close();
    expect(quick.writable()).toBe(true);
    // The check leaves nothing behind.
    expect(quick.recordEvent('why137.writable', 'x', null)).toBe(true);
    const reader = new DatabaseSync(file);
    expect(reader.prepare("SELECT count(*) AS n FROM events WHERE source = 'why137.writable'").get()?.n).toBe(1);
    reader.close();
    quick.close();
    expect(quick.writable()).toBe(false);
    quick.close();
  });

  test('timestamps that are not times are refused with one line', () => {
    store.createIncident({ id: 'inc-1', trigger: 'cli', target: 'docker:web', status: 'done' });
    const e = error(() => store.addProposal({ ...proposalInput('p1', 'inc-1', T0), expiresAt: 'in 15 minutes' }));
    expect(e.message).toBe('expiresAt "in 15 minutes" is not a timestamp; expected an ISO-8601 time');
  });
});
