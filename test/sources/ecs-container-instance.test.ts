import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { ecsContainerInstanceSource } from '../../src/sources/ecs-container-instance.js';
import type { StepOutput } from '../../src/sources/source.js';
import { startAwsRecordedFake, type AwsRecordedFake } from '../fakes/aws-recorded.js';
import { awsContext } from '../helpers/aws-context.js';
import { recordedResponse } from '../helpers/recorded-response.js';

const INSTANCE = 'arn:aws:ecs:us-east-1:123456789012:container-instance/batch-ec2/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const target = { kind: 'ecs' as const, cluster: 'batch-ec2', task: '5e8a0c2f7b1d4e6a9c3f2b1a0d9e8c7b' };
const tasksStep = (facts: Record<string, unknown>): Record<string, StepOutput> => ({ tasks: { artifacts: [], facts, calls: 1 } });

describe('ecsContainerInstanceSource against recorded responses', () => {
  let fake: AwsRecordedFake;
  beforeEach(async () => { fake = await startAwsRecordedFake(); });
  afterEach(async () => { await fake.stop(); });

  const collect = (facts: Record<string, unknown>) => ecsContainerInstanceSource.collect(awsContext({ endpoint: fake.endpoint, target, params: {}, needs: tasksStep(facts) }));

  test('an EC2 task: the host’s instance id as facts, and no artifact (no parser reads container instances)', async () => {
    fake.reply('DescribeContainerInstances', { cli: recordedResponse('ecs', 'container-instances-ec2.json') });
    const out = await collect({ launchType: 'EC2', containerInstanceArn: INSTANCE, clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-ec2' });
    expect(fake.calls[0]!.body).toEqual({ cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-ec2', containerInstances: [INSTANCE] });
    expect(out).toEqual({
      artifacts: [], calls: 1,
      facts: { ec2InstanceId: 'i-0a1b2c3d4e5f67890', containerInstanceArn: INSTANCE, instanceType: 'm5.large', availabilityZone: 'us-east-1b' },
    });
  });

  test('a Fargate task is skipped cleanly, without a call', async () => {
    const out = await collect({ launchType: 'FARGATE' });
    expect(out).toEqual({ artifacts: [], facts: { skipped: 'Fargate task: AWS runs the host' }, calls: 0 });
    expect(fake.calls).toHaveLength(0);
  });

  test('a deregistered instance is not_found', async () => {
    fake.reply('DescribeContainerInstances', { json: { containerInstances: [], failures: [{ arn: INSTANCE, reason: 'MISSING' }] } });
    const err = await collect({ launchType: 'EC2', containerInstanceArn: INSTANCE }).catch((e: unknown) => e) as Error;
    expect(classifyFault(err).fault).toBe('not_found');
    expect(err.message).toContain('MISSING');
    expect(fake.calls[0]!.body).toMatchObject({ cluster: 'batch-ec2' });
  });
});
