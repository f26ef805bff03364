import type { Store } from '../../../src/store/store.js';
import { startFakePagerDutyApi, type FakePagerDutyApi } from '../../fakes/pagerduty-api.js';
import { fakePagerDutySlack, type FakePagerDutySlack } from '../../helpers/fake-pagerduty-slack.js';
import { SECRET, startPagerDutyHarness, tempStoreFile, type PagerDutyHarness } from '../../helpers/pagerduty-harness.js';
import { sendStorm, stormEvents } from '../../helpers/pagerduty-storm.js';

let api: FakePagerDutyApi;
const open: PagerDutyHarness[] = [];
beforeEach(async () => { api = await startFakePagerDutyApi(); });
afterEach(async () => {
  for (const h of open.splice(0)) await h.close().catch(() => undefined);
  await api.close();
});

async function start(storeFile: string, delayMs: number | ((call: number) => number), foldDelayMs = 20): Promise<{ h: PagerDutyHarness; slack: FakePagerDutySlack }> {
  let slack!: FakePagerDutySlack;
  const h = await startPagerDutyHarness({ apiUrl: api.url, storeFile, foldDelayMs, slack: (store: Store) => (slack = fakePagerDutySlack(() => store, { delayMs })) });
  open.push(h);
  return { h, slack };
}

function perTarget(store: Store): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of store.listIncidents()) counts.set(i.target, (counts.get(i.target) ?? 0) + i.triggerCount);
  return counts;
}

describe('storms', () => {
  test('500 deliveries for 20 targets: 20 diagnoses, at most 4 at once, the other 480 folded into their threads', async () => {
    // Fold updates wait a minute here, so the whole storm's folds reach each thread as one update at the drain.
    const { h, slack } = await start(tempStoreFile(), 200, 60_000);
    const events = stormEvents(api, 500, 20);
    const sent = await sendStorm(events, () => h.url, [SECRET]);
    expect(sent.statuses.every((s) => s === 202)).toBe(true);
    await h.trigger.worker.drain();

    expect(slack.diagnoses).toHaveLength(20);
    expect(new Set(slack.diagnoses.map((d) => d.incidentId)).size).toBe(20);
    expect(slack.maxActive).toBeLessThanOrEqual(4);
    expect(slack.maxActive).toBeGreaterThan(1);
    const incidents = h.store.listIncidents();
    expect(incidents).toHaveLength(20);
    expect(incidents.every((i) => i.status === 'done' && i.channel === 'C0K8SPROD')).toBe(true);
    expect([...perTarget(h.store).values()]).toEqual(Array(20).fill(25));
    // Each thread shows its final count, debounced: one update per incident for its 24 folds.
    expect(slack.folds).toHaveLength(20);
    expect(slack.folds.every((f) => f.count === 25)).toBe(true);
    // A note per diagnosis, none per fold.
    expect(api.notes).toHaveLength(20);
    expect(api.notes.every((n) => n.content.startsWith('why137 diagnosed k8s:prod-eu/shop/web-'))).toBe(true);
  });

  test('a restart in the middle of a storm loses nothing and runs nothing twice', async () => {
    const file = tempStoreFile();
    // The first process finishes two diagnoses, then the runbooks it starts never end before the crash.
    const first = await start(file, (call) => (call <= 2 ? 20 : 60_000));
    let url = first.h.url;
    const events = stormEvents(api, 500, 20);
    let crashed: Promise<void> | undefined;
    let second: { h: PagerDutyHarness; slack: FakePagerDutySlack } | undefined;
    let runningAtCrash = 0;
    const restart = (): Promise<void> => {
      runningAtCrash = first.slack.active;
      return (async () => {
        await first.h.crash();
        second = await start(file, 0);
        url = second.h.url;
      })();
    };
    const sending = sendStorm(events, () => url, [SECRET], {
      // Mid-storm, once the first process has finished some diagnoses and runs others: the listener and the
      // store close under them and under queued deliveries, and a new process opens the same file on another port.
      onAccepted: (n) => { if (!crashed && n >= 200 && first.slack.finished.length >= 2) crashed = restart(); },
    });
    const sent = await sending;
    // On a slow machine the condition may only hold after the last delivery: the restart then meets a full queue.
    await (crashed ??= restart());
    await second!.h.trigger.worker.drain();

    expect(sent.statuses.filter((s) => s >= 200 && s < 300)).toHaveLength(500);
    const store = second!.h.store;
    // Every accepted delivery was turned into exactly one incident or one fold: 25 triggers per target.
    expect([...perTarget(store).values()]).toEqual(Array(20).fill(25));
    const incidents = store.listIncidents();
    expect(incidents.every((i) => i.status === 'done')).toBe(true);
    // Each diagnosis ran to the end exactly once, before or after the restart.
    const finished = [...first.slack.finished, ...second!.slack.finished];
    expect(finished.sort()).toEqual(incidents.map((i) => i.id).sort());
    expect(runningAtCrash).toBeGreaterThan(0);
    expect(first.slack.finished).toHaveLength(2);
    expect(second!.slack.finished).toHaveLength(18);
    // Deliveries that reached the first process but whose answer was lost were redelivered: recognised, not rerun.
    expect(new Set(api.notes.map((n) => n.incidentId)).size).toBe(20);
  });
});
