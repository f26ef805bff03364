import { startHarness, type Harness } from '../helpers/slack-harness.js';
import { proposalInput } from '../store/store-builders.js';
import { fakeDockerSources } from '../chat/slack/docker-fakes.js';

const LINE = 'interrupted by a restart mid-apply; the target may have changed: diagnose again';

describe('serve start-up reconciles proposals a kill -9 left mid-apply (real SQLite store)', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ sources: fakeDockerSources().sources }); });
  afterAll(async () => { await h.close(); });

  test("'executing' and 'rolling_back' become 'failed', audited by system, said once in the thread; others untouched", async () => {
    const at = new Date().toISOString();
    h.store.createIncident({ id: 'inc_t', trigger: 'slack', target: 'docker:web', channel: 'C0INCIDENT', threadTs: '1700000000.000100', status: 'done' });
    h.store.createIncident({ id: 'inc_nothread', trigger: 'cli', target: 'docker:db', status: 'done' });
    for (const [id, inc] of [['prop_exec', 'inc_t'], ['prop_rb', 'inc_t'], ['prop_open', 'inc_t'], ['prop_cli', 'inc_nothread']] as const) {
      h.store.addProposal(proposalInput(id, inc, at, 60 * 60_000));
    }
    expect(h.store.transitionProposal('prop_exec', ['open'], 'executing')).toBe(true);
    expect(h.store.transitionProposal('prop_rb', ['open'], 'rolling_back')).toBe(true);
    expect(h.store.transitionProposal('prop_cli', ['open'], 'executing')).toBe(true);

    await h.restart();

    expect(h.store.getProposal('prop_exec')!.status).toBe('failed');
    expect(h.store.getProposal('prop_rb')!.status).toBe('failed');
    expect(h.store.getProposal('prop_cli')!.status).toBe('failed');
    expect(h.store.getProposal('prop_open')!.status).toBe('open');
    const audit = h.store.listAudit().filter((e) => e.action === 'interrupted');
    expect(audit.map((e) => e.proposalId).sort()).toEqual(['prop_cli', 'prop_exec', 'prop_rb']);
    expect(audit.every((e) => e.actor === 'system' && e.result === 'failed' && e.detail === LINE)).toBe(true);
    const said = h.slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes(LINE));
    expect(said).toHaveLength(2);
    expect(said.every((c) => c.body.channel === 'C0INCIDENT' && c.body.thread_ts === '1700000000.000100')).toBe(true);

    // A second restart finds nothing left to reconcile.
    await h.restart();
    expect(h.store.listAudit().filter((e) => e.action === 'interrupted')).toHaveLength(3);
  });
});
