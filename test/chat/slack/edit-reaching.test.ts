import { configSchema } from '../../../src/config/config-schema.js';
import { editReaching } from '../../../src/chat/slack/edit-reaching.js';
import type { Edit } from '../../../src/remediation/edit.js';
import { parseTarget } from '../../../src/targets/parse-target.js';

const config = configSchema.parse({ aws: { region: 'eu-west-1' }, kubernetes: { contexts: ['prod'] } });
const docker: Edit = { platform: 'docker', container: 'abc', memoryBytes: 1 };
const k8s: Edit = { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'Deployment', name: 'web' }, container: 'app', limitsMemory: '1Gi' };
const ecs: Edit = { platform: 'ecs', cluster: 'prod', service: 'api', taskDefinition: 'api:3', container: 'api', memoryMiB: 1024 };
const lambda: Edit = { platform: 'lambda', functionName: 'resize', memorySizeMb: 1024 };
const at = (t: string) => parseTarget(t, { kubeContexts: ['prod'] });

describe('a button only where the executor reaches what the diagnosis read', () => {
  test('a docker:HOST target applies through that docker.hosts engine', () => {
    expect(editReaching(docker, at('docker:build-01/worker'), config)).toEqual({ edit: { ...docker, host: 'build-01' } });
    expect(editReaching(docker, at('docker:worker'), config)).toEqual({ edit: docker });
    expect(editReaching({ ...docker, host: 'other' }, at('docker:build-01/worker'), config)).toMatchObject({ why: expect.stringContaining('not build-01') });
  });

  test('an edit planned for the default kube context or region gets no button on a target naming another', () => {
    expect(editReaching(k8s, at('k8s:shop/deployment/web'), config)).toEqual({ edit: k8s });
    expect(editReaching(k8s, at('k8s:prod/shop/web-7d9'), config)).toMatchObject({ why: expect.stringContaining('--context prod') });
    expect(editReaching(lambda, at('lambda:resize'), config)).toEqual({ edit: lambda });
    expect(editReaching(lambda, at('lambda:eu-west-1/resize'), config)).toEqual({ edit: lambda });
    expect(editReaching(lambda, at('lambda:us-east-1/resize'), config)).toMatchObject({ why: expect.stringContaining('--region us-east-1') });
  });

  test('an edit naming the context or region the target named gets the button (the planners fill them from the target)', () => {
    expect(editReaching({ ...k8s, context: 'prod' }, at('k8s:prod/shop/web-7d9'), config)).toEqual({ edit: { ...k8s, context: 'prod' } });
    expect(editReaching({ ...k8s, context: 'prod' }, at('k8s:shop/web-7d9'), config)).toMatchObject({ why: expect.stringContaining('kube context prod') });
    expect(editReaching({ ...lambda, region: 'us-east-1' }, at('lambda:us-east-1/resize'), config)).toEqual({ edit: { ...lambda, region: 'us-east-1' } });
    expect(editReaching({ ...lambda, region: 'us-east-1' }, at('lambda:resize'), config)).toMatchObject({ why: expect.stringContaining('us-east-1') });
    expect(editReaching(ecs, at('ecs:eu-west-1/prod/0123456789abcdef0123456789abcdef'), config)).toEqual({ edit: ecs });
    expect(editReaching({ ...ecs, region: 'ap-south-1' }, at('ecs:ap-south-1/prod/0123456789abcdef0123456789abcdef'), config)).toEqual({ edit: { ...ecs, region: 'ap-south-1' } });
    expect(editReaching(ecs, at('ecs:ap-south-1/prod/0123456789abcdef0123456789abcdef'), config)).toMatchObject({ why: expect.stringContaining('--region ap-south-1') });
  });
});
