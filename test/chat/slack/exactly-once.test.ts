import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import bolt from '@slack/bolt';
import { configSchema } from '../../../src/config/config-schema.js';
import { createSqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import type { SlackDeps } from '../../../src/chat/slack/slack-deps.js';
import type { Proposal } from '../../../src/remediation/proposal.js';
import { executeApproved } from '../../../src/chat/slack/execute-approved.js';
import { createTaskTracker } from '../../../src/server/task-tracker.js';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../fakes/slack-api.js';
import { fakeDockerEngine, CONTAINER_ID, type FakeDockerEngine } from './docker-fakes.js';

const logger = pino({ level: 'silent' });
const proposal: Proposal = {
  id: 'raise_memory_limit:docker:why137-oom', action: 'raise_memory_limit', platform: 'docker', target: { platform: 'docker', containerName: 'why137-oom' },
  title: 'Raise the memory limit of why137-oom to 48m', changes: [{ field: 'HostConfig.Memory', before: '32m', after: '48m' }],
  why: 'it hit 32m', risk: 'none to speak of', command: 'docker update --memory 48m --memory-swap 48m why137-oom', priority: 1, addresses: ['cgroup_oom'], executable: true,
  edit: { platform: 'docker', container: CONTAINER_ID, memoryBytes: 48 * 1024 * 1024, memorySwapBytes: 48 * 1024 * 1024 },
};

describe('exactly once: the open → executing gate in front of every execution', () => {
  let slack: FakeSlack;
  let engine: FakeDockerEngine;
  let stores: Store[];
  let file: string;

  beforeEach(async () => {
    slack = await startFakeSlack();
    engine = fakeDockerEngine();
    engine.applyMs = 200;
    file = path.join(mkdtempSync(path.join(tmpdir(), 'why137-once-')), 'why137.sqlite');
    stores = [];
  });
  afterEach(async () => { for (const s of stores) s.close(); await slack.close(); });

  /** One replica: its own store connection on the shared file, its own Web API client. */
  function replica(): SlackDeps {
    const store = createSqliteStore(file);
    stores.push(store);
    const web = new bolt.webApi.WebClient(FAKE_BOT_TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    return {
      web, store, logger, config: configSchema.parse({ slack: { approvers: [{ match: 'docker:**', users: ['U0APPROVER', 'U0OTHER'] }] } }),
      clients: {} as SlackDeps['clients'], sources: {}, runbooks: new Map(), executors: { docker: engine.executor },
      tasks: createTaskTracker(logger), groupMembers: async () => [], now: () => new Date(), newId: (p) => `${p}_${Math.random()}`,
      signal: new AbortController().signal,
    };
  }

  test('five concurrent approvals across two replicas of the store: one apply, one execute audit, four told it is taken', async () => {
    const a = replica();
    const b = replica();
    a.store.createIncident({ id: 'inc_1', trigger: 'slack', target: 'docker:why137-oom', requester: 'U0ASKER', channel: 'C0INCIDENT', threadTs: '1.1', status: 'done' });
    const snapshot = await engine.executor.snapshot(proposal.edit as never, { clients: a.clients, signal: a.signal });
    a.store.addProposal({ id: 'prop_1', incidentId: 'inc_1', proposal, snapshot, createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() });

    await Promise.all([a, b, a, b, a].map((deps, i) => executeApproved(deps, { recordId: 'prop_1', user: i % 2 ? 'U0OTHER' : 'U0APPROVER', proposal })));
    expect(engine.counts.apply).toBe(1);
    const audit = b.store.listAudit({ proposalId: 'prop_1' });
    expect(audit.filter((e) => e.action === 'execute')).toHaveLength(1);
    expect(audit.filter((e) => e.action === 'approve' && e.result === 'ok')).toHaveLength(1);
    expect(slack.callsTo('chat.postEphemeral').map((c) => String(c.body.text)).filter((t) => /being applied|already applied/.test(t))).toHaveLength(4);
    expect(slack.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('✅ Applied'))).toHaveLength(1);
    expect(a.store.getProposal('prop_1')!.status).toBe('executed');
  });
});
