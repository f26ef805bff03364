import pino from 'pino';
import { configSchema, type Config } from '../../../src/config/config-schema.js';
import { checkApprover } from '../../../src/chat/slack/approval/check-approver.js';
import { targetGlob } from '../../../src/util/target-glob.js';
import { formatTarget } from '../../../src/targets/format-target.js';
import { parseTarget } from '../../../src/targets/parse-target.js';

const logger = pino({ level: 'silent' });

describe('who may approve', () => {
  test('targetGlob: * and ? stay inside a /-segment, ** crosses them, the whole target must match', () => {
    expect(targetGlob('k8s:prod-*/*', 'k8s:prod-eu/web-7d9')).toBe(true);
    expect(targetGlob('k8s:prod-*/*', 'k8s:staging/web-7d9')).toBe(false);
    expect(targetGlob('k8s:prod-*/*', 'k8s:prod-eu/web-7d9/app')).toBe(false);
    expect(targetGlob('k8s:prod-*/**', 'k8s:prod-eu/deployment/web/app')).toBe(true);
    expect(targetGlob('docker:build-0?/*', 'docker:build-01/worker')).toBe(true);
    expect(targetGlob('docker:*', 'docker:build-01/worker')).toBe(false);
    expect(targetGlob('lambda:**', 'lambda:eu-west-1/resize:live')).toBe(true);
    expect(targetGlob('ecs:prod/service/*', 'ecs:prod/service/api')).toBe(true);
    expect(targetGlob('k8s:a.b', 'k8s:aXb')).toBe(false);
  });

  test.each([
    'k8s:shop/web-7d9', 'k8s:prod/shop/web-7d9/app', 'k8s:shop/deployment/web', 'ecs:prod/0123456789abcdef0123456789abcdef',
    'ecs:eu-west-1/prod/service/api', 'docker:build-01/worker-3', 'lambda:eu-west-1/resize-image:live', 'host:ip-10-0-3-117',
  ])('formatTarget is what parseTarget reads back: %s', (text) => {
    const t = parseTarget(text, { kubeContexts: ['prod'] });
    expect(formatTarget(t)).toBe(text);
    expect(parseTarget(formatTarget(t), { kubeContexts: ['prod'] })).toEqual(t);
  });

  const config = (slack: object): Config => configSchema.parse({ slack });
  const deps = (slack: object, groups: Record<string, string[] | Error> = {}) => ({
    config: config(slack), logger,
    groupMembers: async (g: string) => { const m = groups[g]; if (m instanceof Error) throw m; return m ?? []; },
  });

  test('users and groups of every matching entry; no entry, nobody; a failed group lookup refuses; two-person rule', async () => {
    const slack = { approvers: [{ match: 'k8s:prod-*/**', users: ['U0001'] }, { match: 'k8s:**', groups: ['S0001'] }] };
    expect(await checkApprover(deps(slack), { user: 'U0001', target: 'k8s:prod-eu/web' })).toEqual({ ok: true, via: 'slack.approvers k8s:prod-*/**' });
    expect(await checkApprover(deps(slack, { S0001: ['U0002'] }), { user: 'U0002', target: 'k8s:prod-eu/web' })).toEqual({ ok: true, via: 'group S0001' });
    expect(await checkApprover(deps(slack, { S0001: ['U0002'] }), { user: 'U0002', target: 'k8s:prod-eu/web' }, { lookups: false })).toEqual({ ok: 'lookup' });
    expect(await checkApprover(deps(slack, { S0001: ['U0002'] }), { user: 'U0003', target: 'k8s:prod-eu/web' })).toMatchObject({ ok: false, why: expect.stringContaining('<@U0003> is not an approver for k8s:prod-eu/web') });
    expect(await checkApprover(deps(slack), { user: 'U0001', target: 'docker:x' })).toMatchObject({ ok: false, why: 'no slack.approvers entry matches docker:x, so nobody may approve changes to it' });
    expect(await checkApprover(deps(slack, { S0001: Object.assign(new Error('x'), { data: { error: 'missing_scope' } }) }), { user: 'U0002', target: 'k8s:a/b' }))
      .toMatchObject({ ok: false, why: expect.stringContaining('could not be read (missing_scope)') });
    const two = { ...slack, twoPersonRule: true };
    expect(await checkApprover(deps(two), { user: 'U0001', target: 'k8s:prod-eu/web', requester: 'U0001' })).toMatchObject({ ok: false, why: expect.stringContaining('two-person rule') });
    expect(await checkApprover(deps(two), { user: 'U0001', target: 'k8s:prod-eu/web', requester: 'U0009' })).toMatchObject({ ok: true });
  });

  test('the config refuses an approver entry without users or groups, and names that are not Slack ids', () => {
    expect(configSchema.safeParse({ slack: { approvers: [{ match: 'k8s:**' }] } }).success).toBe(false);
    expect(configSchema.safeParse({ slack: { approvers: [{ match: 'k8s:**', users: ['@alice'] }] } }).success).toBe(false);
    expect(configSchema.safeParse({ slack: { approvers: [{ match: 'k8s:**', groups: ['sre'] }] } }).success).toBe(false);
    expect(configSchema.parse({}).slack).toEqual({ approvers: [], twoPersonRule: false, proposalTtlMinutes: 60, apiRetries: 4 });
  });
});
