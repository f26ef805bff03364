import { parseTarget } from '../../src/targets/parse-target.js';
import { checkTargetConfig } from '../../src/targets/check-target-config.js';
import { configSchema } from '../../src/config/config-schema.js';
import type { Target } from '../../src/targets/target.js';
import { Why137Error } from '../../src/errors/why137-error.js';

const TASK = '0123456789abcdef0123456789abcdef';
const UUID = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/prod/${TASK}`;

const accepted: [string, Target, { kubeContexts?: string[] }?][] = [
  ['k8s:shop/web-7d9c8b5f4-x2x9z', { kind: 'k8s', namespace: 'shop', pod: 'web-7d9c8b5f4-x2x9z' }],
  ['k8s:shop/web-0/app', { kind: 'k8s', namespace: 'shop', pod: 'web-0', container: 'app' }],
  ['k8s:prod/shop/web-0', { kind: 'k8s', context: 'prod', namespace: 'shop', pod: 'web-0' }, { kubeContexts: ['prod'] }],
  ['k8s:kind-kind/shop/web-0', { kind: 'k8s', namespace: 'kind-kind', pod: 'shop', container: 'web-0' }],
  ['k8s:Prod_EU/shop/web-0', { kind: 'k8s', context: 'Prod_EU', namespace: 'shop', pod: 'web-0' }],
  ['k8s:admin@prod/shop/web-0', { kind: 'k8s', context: 'admin@prod', namespace: 'shop', pod: 'web-0' }],
  ['k8s:prod/shop/web-0/app', { kind: 'k8s', context: 'prod', namespace: 'shop', pod: 'web-0', container: 'app' }],
  ['k8s:shop/web.v2.pod', { kind: 'k8s', namespace: 'shop', pod: 'web.v2.pod' }],
  ['k8s:shop/deployment/web', { kind: 'k8s-workload', namespace: 'shop', workload: 'deployment', name: 'web' }],
  ['k8s:shop/statefulset/db/postgres', { kind: 'k8s-workload', namespace: 'shop', workload: 'statefulset', name: 'db', container: 'postgres' }],
  ['k8s:prod/shop/daemonset/agent', { kind: 'k8s-workload', context: 'prod', namespace: 'shop', workload: 'daemonset', name: 'agent' }],
  ['k8s:prod/batch/job/nightly/worker', { kind: 'k8s-workload', context: 'prod', namespace: 'batch', workload: 'job', name: 'nightly', container: 'worker' }],
  ['k8s:prod/job/job/x', { kind: 'k8s-workload', context: 'prod', namespace: 'job', workload: 'job', name: 'x' }, { kubeContexts: ['prod'] }],
  ['k8s:prod/job/job/x', { kind: 'k8s-workload', namespace: 'prod', workload: 'job', name: 'job', container: 'x' }],
  [`ecs:prod/${TASK}`, { kind: 'ecs', cluster: 'prod', task: TASK }],
  [`ecs:prod/${UUID}`, { kind: 'ecs', cluster: 'prod', task: UUID }],
  [`ecs:eu-west-1/prod/${TASK}`, { kind: 'ecs', region: 'eu-west-1', cluster: 'prod', task: TASK }],
  [`ecs:us-gov-west-1/Prod_Cluster-2/${TASK}`, { kind: 'ecs', region: 'us-gov-west-1', cluster: 'Prod_Cluster-2', task: TASK }],
  [`ecs:eu-west-1/${TASK}`, { kind: 'ecs', cluster: 'eu-west-1', task: TASK }],
  [`ecs:prod/${TASK_ARN}`, { kind: 'ecs', region: 'eu-west-1', cluster: 'prod', task: TASK_ARN }],
  [`ecs:eu-west-1/prod/${TASK_ARN}`, { kind: 'ecs', region: 'eu-west-1', cluster: 'prod', task: TASK_ARN }],
  [`ecs:${TASK_ARN}`, { kind: 'ecs', region: 'eu-west-1', cluster: 'prod', task: TASK_ARN }],
  [TASK_ARN, { kind: 'ecs', region: 'eu-west-1', cluster: 'prod', task: TASK_ARN }],
  [`ecs:prod/arn:aws:ecs:eu-west-1:123456789012:task/${TASK}`, { kind: 'ecs', region: 'eu-west-1', cluster: 'prod', task: `arn:aws:ecs:eu-west-1:123456789012:task/${TASK}` }],
  [`ecs:arn:aws-cn:ecs:cn-north-1:123456789012:task/prod/${TASK}`, { kind: 'ecs', region: 'cn-north-1', cluster: 'prod', task: `arn:aws-cn:ecs:cn-north-1:123456789012:task/prod/${TASK}` }],
  ['ecs:prod/service/web', { kind: 'ecs-service', cluster: 'prod', service: 'web' }],
  ['ecs:eu-west-1/prod/service/web_api', { kind: 'ecs-service', region: 'eu-west-1', cluster: 'prod', service: 'web_api' }],
  [`ecs:eu-west-1/service/${TASK}`, { kind: 'ecs', region: 'eu-west-1', cluster: 'service', task: TASK }],
  ['ecs:arn:aws:ecs:eu-west-1:123456789012:service/prod/web', { kind: 'ecs-service', region: 'eu-west-1', cluster: 'prod', service: 'web' }],
  ['docker:web', { kind: 'docker', container: 'web' }],
  ['docker:my_app.1-blue', { kind: 'docker', container: 'my_app.1-blue' }],
  ['docker:4f66ad9a0b2e', { kind: 'docker', container: '4f66ad9a0b2e' }],
  [`docker:build-01/${'a'.repeat(64)}`, { kind: 'docker', host: 'build-01', container: 'a'.repeat(64) }],
  ['lambda:resize-image', { kind: 'lambda', functionName: 'resize-image' }],
  ['lambda:resize_image:$LATEST', { kind: 'lambda', functionName: 'resize_image', qualifier: '$LATEST' }],
  ['lambda:eu-west-1/resize-image:7', { kind: 'lambda', region: 'eu-west-1', functionName: 'resize-image', qualifier: '7' }],
  ['lambda:eu-west-1/resize-image:live', { kind: 'lambda', region: 'eu-west-1', functionName: 'resize-image', qualifier: 'live' }],
  ['lambda:arn:aws:lambda:us-east-1:123456789012:function:resize-image', { kind: 'lambda', region: 'us-east-1', functionName: 'resize-image' }],
  ['arn:aws:lambda:us-east-1:123456789012:function:resize-image:prod', { kind: 'lambda', region: 'us-east-1', functionName: 'resize-image', qualifier: 'prod' }],
  ['host:ip-10-0-1-23.eu-west-1.compute.internal', { kind: 'host', name: 'ip-10-0-1-23.eu-west-1.compute.internal' }],
  ['host:Build01', { kind: 'host', name: 'Build01' }],
  // With contexts configured, an unknown DNS-label first segment is a namespace (three segments are ambiguous).
  ['k8s:staging/shop/web', { kind: 'k8s', namespace: 'staging', pod: 'shop', container: 'web' }, { kubeContexts: ['prod'] }],
  ['  docker:web \n', { kind: 'docker', container: 'web' }],
];

describe('parseTarget accepts every documented form', () => {
  test.each(accepted.map(([input, want, opts]) => [JSON.stringify(input), input, want, opts] as const))('%s', (_n, input, want, opts) => {
    expect(parseTarget(input, opts)).toEqual(want);
  });
});

const rejected: [string, RegExp][] = [
  ['', /no platform prefix/],
  ['web', /no platform prefix/],
  ['kubernetes:shop/web', /unknown platform "kubernetes"/],
  ['k8s:', /takes 2 to 5 \/-separated segments, got 1/],
  ['k8s:shop', /got 1/],
  ['k8s:default/$(rm -rf)', /pod "\$\(rm -rf\)" is not a DNS-1123 subdomain/],
  ['k8s:default/$(rm -rf /)', /pod "\$\(rm -rf "/],
  ['k8s:default/web;reboot', /pod "web;reboot"/],
  ['k8s:default/`id`', /pod "`id`"/],
  ['k8s:default/web|sh', /pod/],
  ['k8s:default/web && id', /pod "web && id"/],
  ['k8s:Default/web', /pod|namespace/],
  ['k8s:shop/Web', /pod "Web"/],
  ['k8s:shop/web/App', /container "App"/],
  ['k8s:shop//web', /namespace|pod|empty/],
  ['k8s:shop/web/', /container is empty/],
  ['k8s:../../etc/passwd', /kube context|namespace|pod/],
  ['k8s:shop/-web', /pod "-web"/],
  [`k8s:shop/${'a'.repeat(64)}/app`, /namespace/],
  ['k8s:shop/web\nid', /pod/],
  ['k8s:pr od/shop/web', /kube context "pr od"/],
  ['k8s:ctx$(x)/shop/web', /kube context/],
  ['k8s:a/b/c/d/e', /workload kind/],
  ['k8s:shop/deployment/Web', /deployment name "Web"/],
  ['k8s:shop/deployment/web/a/b', /workload kind|segments/],
  ['ecs:prod', /1 segment/],
  ['ecs:prod/abc', /task id "abc"/],
  ['ecs:eu-west-1/prod/abc', /task id "abc" is not an ECS task id/],
  ['ecs:notaregion/prod/0123', /"notaregion" is not a region/],
  [`ecs:prod cluster/${TASK}`, /cluster "prod cluster"/],
  [`ecs:prod;id/${TASK}`, /cluster/],
  [`ecs:${'x'.repeat(256)}/${TASK}`, /cluster/],
  [`ecs:prod/${TASK.toUpperCase()}`, /task id/],
  [`ecs:prod/${TASK}0`, /task id/],
  ['ecs:prod/service/', /service is empty/],
  ['ecs:prod/service/web api', /service "web api"/],
  ['ecs:eu-west-1/prod/svc/web', /4 segments/],
  [`ecs:staging/${TASK_ARN}`, /cluster staging differs from the ARN's prod/],
  [`ecs:us-east-1/prod/${TASK_ARN}`, /region us-east-1 differs/],
  [`ecs:arn:aws:ecs:eu-west-1:123456789012:task/${TASK}`, /without a cluster/],
  ['ecs:arn:aws:ecs:eu-west-1:123456789012:task/prod/$(id)', /task id/],
  ['ecs:arn:aws:ecs:eu-west-1:12345:task/prod/x', /ARN account/],
  ['arn:aws:s3:::bucket', /only ECS task\/service and Lambda function ARNs/],
  ['docker:', /container is empty/],
  ['docker:../x', /docker host "\.\."/],
  ['docker:/x', /docker host is empty/],
  ['docker:-rm', /container "-rm"/],
  ['docker:.hidden', /container/],
  ['docker:web;id', /container "web;id"/],
  ['docker:a/b/c', /3 segments/],
  ['docker:host name/web', /docker host "host name"/],
  ['lambda:', /function is empty/],
  ['lambda:resize image', /function "resize image"/],
  [`lambda:${'f'.repeat(65)}`, /function/],
  ['lambda:fn:$(id)', /qualifier "\$\(id\)"/],
  ['lambda:fn:', /qualifier is empty/],
  ['lambda:fn:LATEST$', /qualifier/],
  ['lambda:mars-1/fn', /region "mars-1"/],
  ['lambda:a/b/c', /3 segments/],
  ['lambda:arn:aws:lambda:us-east-1:123456789012:layer:x', /not a function ARN/],
  ['host:', /host is empty/],
  ['host:-bad', /host "-bad"/],
  ['host:a..b', /host "a\.\.b"/],
  ['host:bad_name', /host "bad_name"/],
  ['host:x;reboot', /host/],
  ['host:$(curl evil)', /host/],
];

describe('parseTarget refuses malformed targets with one line listing the accepted forms', () => {
  test.each(rejected.map(([input, why]) => [JSON.stringify(input), input, why] as const))('%s', (_n, input, why) => {
    let err: unknown;
    try { parseTarget(input); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Why137Error);
    const e = err as Why137Error;
    expect(e.code).toBe('why137_target_invalid');
    expect(e.message).toMatch(why);
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain('expected one of: k8s:[context/]namespace/pod[/container]');
    expect(e.message).toContain('host:NAME');
  });
});

describe('checkTargetConfig', () => {
  const config = configSchema.parse({
    kubernetes: { contexts: ['prod'] },
    aws: { regions: ['eu-west-1'] },
    docker: { hosts: { 'build-01': { url: 'ssh://why137@build-01' } } },
  });
  test.each([
    ['k8s:staging/shop/web/app', /context staging is not allowed; expected one of kubernetes.contexts: prod/],
    ['docker:other/web', /docker host other is not configured; expected one of docker.hosts: build-01/],
    [`ecs:us-east-1/prod/${TASK}`, /region us-east-1 is not allowed/],
    ['lambda:us-east-1/fn', /region us-east-1 is not allowed/],
  ])('%s is refused', (input, why) => {
    expect(() => checkTargetConfig(parseTarget(input, { kubeContexts: config.kubernetes.contexts }), config)).toThrow(why);
  });
  test.each(['k8s:prod/shop/web', 'k8s:shop/web', 'docker:build-01/web', 'docker:web', `ecs:eu-west-1/prod/${TASK}`, 'lambda:fn', 'host:n1'])('%s is allowed', (input) => {
    expect(() => checkTargetConfig(parseTarget(input, { kubeContexts: config.kubernetes.contexts }), config)).not.toThrow();
  });
});
