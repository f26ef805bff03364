import { configSchema } from '../../../src/config/config-schema.js';
import { editReaching } from '../../../src/chat/slack/edit-reaching.js';
import type { Edit } from '../../../src/remediation/edit.js';
import { parseTarget } from '../../../src/targets/parse-target.js';

const config = configSchema.parse({ aws: { region: 'eu-west-1' }, kubernetes: { contexts: ['prod'] } });
const docker: Edit = { platform: 'docker', container: 'abc', memoryBytes: 1 };
const k8s: Edit = { platform: 'kubernetes', namespace: 'shop', workload: { kind: 'Deployment', name: 'web' }, container: 'app', limitsMemory: '1Gi' };
const lambda: Edit = { platform: 'lambda', functionName: 'resize', memorySizeMb: 1024 };
const at = (t: string) => parseTarget(t, { kubeContexts: ['prod'] });

describe('a button only where the executor reaches what the diagnosis read', () => {
  test('a docker:HOST target applies through that docker.hosts engine', () => {
    expect(editReaching(docker, at('docker:build-01/worker'), config)).toEqual({ edit: { ...docker, host: 'build-01' } });
    expect(editReaching(docker, at('docker:worker'), config)).toEqual({ edit: docker });
    expect(editReaching({ ...docker, host: 'other' }, at('docker:build-01/worker'), config)).toMatchObject({ why: expect.stringContaining('not build-01') });
  });

  test('a named kube context, or a region other than aws.region, gets no button (edits cannot name them yet)', () => {
    expect(editReaching(k8s, at('k8s:shop/deployment/web'), config)).toEqual({ edit: k8s });
    expect(editReaching(k8s, at('k8s:prod/shop/web-7d9'), config)).toMatchObject({ why: expect.stringContaining('--context prod') });
    expect(editReaching(lambda, at('lambda:resize'), config)).toEqual({ edit: lambda });
    expect(editReaching(lambda, at('lambda:eu-west-1/resize'), config)).toEqual({ edit: lambda });
    expect(editReaching(lambda, at('lambda:us-east-1/resize'), config)).toMatchObject({ why: expect.stringContaining('--region us-east-1') });
  });
});
