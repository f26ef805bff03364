import { readFileSync } from 'node:fs';
import { configSchema, type Config } from '../../../src/config/config-schema.js';
import { alertFields } from '../../../src/triggers/pagerduty/alert-fields.js';
import { extractTarget } from '../../../src/triggers/pagerduty/extract-target.js';
import { pagerdutyRuleSchema, type PagerDutyRule } from '../../../src/triggers/pagerduty/pagerduty-config-schema.js';
import { seenFields } from '../../../src/triggers/pagerduty/seen-fields.js';
import { fixturePath } from '../../helpers/fixture-path.js';

const config = (extra: object = {}): Config => configSchema.parse({
  kubernetes: { contexts: ['prod-eu'] },
  docker: { hosts: { 'build-01': { url: 'ssh://why137@build-01.internal' } } },
  ...extra,
}) as Config;

function fields(alerts: string, title?: string) {
  const answer = JSON.parse(readFileSync(fixturePath('pagerduty', alerts), 'utf8')) as { alerts: { summary: string; body: unknown }[] };
  const alert = answer.alerts[0]!;
  return alertFields(title ?? alert.summary, alert);
}
const rule = (r: PagerDutyRule): PagerDutyRule => pagerdutyRuleSchema.parse(r);

describe('built-in extractors, on the recorded alerts', () => {
  test.each([
    ['alerts-alertmanager-kubepodcrashlooping.json', 'k8s:prod-eu/shop/web-7d9f8b6c5-x2x9k/app', 'alertmanager-labels'],
    ['alerts-eventbridge-ecs-task-stopped.json', 'ecs:eu-west-1/prod/arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3c8f0b3d8a4b6e9c1d2e3f4a5b6c7d', 'ecs-task-event'],
    ['alerts-cloudwatch-lambda-alarm.json', 'lambda:eu-west-1/checkout-fn', 'cloudwatch-alarm'],
    ['alerts-docker-container-exited.json', 'docker:build-01/ci-runner-7', 'docker-labels'],
  ])('%s → %s', (fixture, target, via) => {
    expect(extractTarget(fields(fixture), config(), { rules: [], builtins: true })).toEqual({ found: true, target, via });
  });

  test('an error-rate alert names no target; nothing is tried', () => {
    expect(extractTarget(fields('alerts-unmatched-error-rate.json'), config(), { rules: [], builtins: true })).toEqual({ found: false, tried: [] });
  });

  test('a cluster label outside kubernetes.contexts is refused with the reason; with no contexts configured it is left out', () => {
    const f = fields('alerts-alertmanager-kubepodcrashlooping.json');
    const other = extractTarget(f, config({ kubernetes: { contexts: ['prod-us'] } }), { rules: [], builtins: true });
    expect(other).toEqual({ found: false, tried: ['alertmanager-labels: label cluster=prod-eu is not one of kubernetes.contexts (prod-us)'] });
    expect(extractTarget(f, config({ kubernetes: { contexts: [] } }), { rules: [], builtins: true })).toMatchObject({ found: true, target: 'k8s:shop/web-7d9f8b6c5-x2x9k/app' });
  });

  test('a docker host missing from docker.hosts is refused by the config check, and the next extractor is tried', () => {
    const out = extractTarget(fields('alerts-docker-container-exited.json'), config({ docker: { hosts: {} } }), { rules: [], builtins: true });
    expect(out.found).toBe(false);
    expect(!out.found && out.tried[0]).toMatch(/^docker-labels: target docker host build-01 is not configured/);
  });

  test('Alertmanager labels as an object, an ECS service without a task, an ECS CloudWatch alarm, a title with key=value', () => {
    const cfg = config({ kubernetes: { contexts: [] } });
    const of = (details: unknown, title = 'x') => extractTarget(alertFields(title, { body: { details } }), cfg, { rules: [], builtins: true });
    expect(of({ labels: { namespace: 'shop', pod: 'api-0', container: 'POD' } })).toMatchObject({ target: 'k8s:shop/api-0' });
    expect(of({ detail: { clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', group: 'service:web' } })).toMatchObject({ target: 'ecs:us-east-1/prod/service/web' });
    expect(of({ AlarmName: 'mem', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:mem', Trigger: { Namespace: 'AWS/ECS', Dimensions: [{ name: 'ClusterName', value: 'prod' }, { name: 'ServiceName', value: 'web' }] } }))
      .toMatchObject({ target: 'ecs:eu-west-1/prod/service/web', via: 'cloudwatch-alarm' });
    expect(of({ AlarmName: 'oom', AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:oom', Trigger: { Metrics: [{ MetricStat: { Metric: { Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: 'fn' }, { Name: 'Resource', Value: 'fn:live' }] } } }] } }))
      .toMatchObject({ target: 'lambda:eu-west-1/fn:live' });
    expect(of({}, 'KubeContainerOOMKilled namespace=shop pod=web-1 container=app')).toMatchObject({ target: 'k8s:shop/web-1/app', via: 'title' });
    expect(of({}, 'OOMKilled: pod shop/web-2 restarted')).toMatchObject({ target: 'k8s:shop/web-2', via: 'title' });
  });
});

describe('configured rules', () => {
  const cfg = config();
  test('title rule with named groups, before the built-ins; titleOnly skips rules over the body', () => {
    const rules = [
      rule({ field: 'custom_details.svc', pattern: '^(?<name>[a-z-]+)$', target: 'ecs:eu-west-1/prod/service/{name}' }),
      rule({ field: 'title', pattern: 'OOMKilled (?<ns>[a-z0-9-]+)/(?<pod>[a-z0-9.-]+)', target: 'k8s:{ns}/{pod}' }),
    ];
    const f = alertFields('OOMKilled shop/web-7d9', { body: { details: { svc: 'checkout' } } });
    expect(extractTarget(f, cfg, { rules, builtins: true })).toEqual({ found: true, target: 'ecs:eu-west-1/prod/service/checkout', via: 'rule 1 (custom_details.svc)' });
    expect(extractTarget(f, cfg, { rules, builtins: true, titleOnly: true })).toEqual({ found: true, target: 'k8s:shop/web-7d9', via: 'rule 2 (title)' });
  });

  test('body.<path> reads the alert body; list indexes; a capture with "/" or spaces is refused (only …arn groups may hold a slash)', () => {
    const f = fields('alerts-eventbridge-ecs-task-stopped.json');
    const arn = rule({ field: 'body.details.resources.0', pattern: '^(?<taskArn>arn:.*)$', target: 'ecs:{taskArn}' });
    expect(extractTarget(f, cfg, { rules: [arn], builtins: false })).toMatchObject({ found: true, target: 'ecs:eu-west-1/prod/arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3c8f0b3d8a4b6e9c1d2e3f4a5b6c7d' });
    const slash = rule({ field: 'body.details.resources.0', pattern: 'task/(?<rest>.*)$', target: 'ecs:{rest}' });
    expect(extractTarget(f, cfg, { rules: [slash], builtins: false })).toEqual({ found: false, tried: ['rule 1: rule on body.details.resources.0: group rest captured a "/" (only a group named arn or …Arn may)'] });
  });

  test('a rule whose target fails parseTarget is noted and the next candidate wins', () => {
    const bad = rule({ field: 'title', pattern: '(?<x>Shop)', target: 'k8s:{x}/pod' });
    const out = extractTarget(alertFields('Shop is down namespace=shop pod=web-1'), cfg, { rules: [bad], builtins: true });
    expect(out).toEqual({ found: true, target: 'k8s:shop/web-1', via: 'title' });
    const none = extractTarget(alertFields('Shop is down'), cfg, { rules: [bad], builtins: false });
    expect(none).toEqual({ found: false, tried: ['rule 1 (title): target "k8s:Shop/pod": namespace "Shop" is not a DNS-1123 label (lower-case a-z, 0-9 and -, at most 63)'] });
  });

  test('the schema refuses a placeholder that is not a named group, and a pattern that does not compile', () => {
    expect(pagerdutyRuleSchema.safeParse({ field: 'title', pattern: '(?<ns>x)', target: 'k8s:{ns}/{pod}' }).error?.issues[0]?.message).toBe('expected a named group (?<pod>...) in pattern for {pod}');
    expect(pagerdutyRuleSchema.safeParse({ field: 'title', pattern: '(?<ns>x', target: 'k8s:{ns}/p' }).error?.issues[0]?.message).toBe('a valid JavaScript regular expression');
    expect(pagerdutyRuleSchema.safeParse({ field: 'details.x', pattern: 'x', target: 'k8s:a/b' }).success).toBe(false);
  });
});

describe('fields seen, for "no target found"', () => {
  test('names and short values, secrets redacted, secret-named fields without value', () => {
    const seen = seenFields(fields('alerts-unmatched-error-rate.json'));
    expect(seen).toEqual([
      { name: 'title', value: 'High 5xx rate on checkout API' },
      { name: 'custom_details.metric', value: 'http_5xx_rate' },
      { name: 'custom_details.value', value: '12.5%' },
      { name: 'custom_details.threshold', value: '5%' },
      { name: 'custom_details.window', value: '5m' },
      { name: 'custom_details.dashboard', value: 'https://grafana.example/d/abc123/checkout' },
      { name: 'custom_details.notes', value: 'Escalate to the payments team if it lasts more than 15 minu…' },
      { name: 'custom_details.api_token', value: '<redacted>' },
    ]);
    const text = JSON.stringify(seen);
    expect(text).not.toMatch(/xoxb-|eyJhbGci/);
    expect(seenFields(alertFields('t'))).toEqual([{ name: 'title', value: 't' }, { name: 'alert body', value: 'not fetched' }]);
  });
});
