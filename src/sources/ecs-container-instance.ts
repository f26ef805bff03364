import { DescribeContainerInstancesCommand } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { defined } from '../artifacts/defined.js';
import type { Source } from './source.js';
import { AwsSourceError } from './aws/aws-source-error.js';
import { needFact } from './aws/need-fact.js';

const params = z.object({}).strict();

/**
 * For a task on EC2: `aws ecs describe-container-instances` for the tasks step's containerInstanceArn,
 * to name the host whose kernel log the SSH step reads. Facts only (no parser reads container instances):
 * ec2InstanceId, containerInstanceArn, instanceType, availabilityZone. No privateDnsName: ECS does not say it
 * (ec2:DescribeInstances does, and there is no EC2 client), so SSH entries match the instance id. Fargate (and EXTERNAL without an instance) tasks have no host to read: the step skips with
 * `skipped` saying why.
 */
export const ecsContainerInstanceSource: Source<z.infer<typeof params>> = {
  name: 'ecs-container-instance',
  reads: 'the EC2 container instance the task ran on (ecs:DescribeContainerInstances), to find its host',
  params,
  async collect({ target, needs, clients, signal }) {
    if (target.kind !== 'ecs' && target.kind !== 'ecs-service') throw new AwsSourceError('why137_runbook_invalid', 'invalid', `ecs-container-instance reads an ecs: or ecs-service: target, not ${target.kind}`);
    const launchType = needFact(needs, 'launchType', isString);
    const arn = needFact(needs, 'containerInstanceArn', isString);
    if (launchType === 'FARGATE' || !arn) {
      return { artifacts: [], facts: { skipped: launchType === 'FARGATE' ? 'Fargate task: AWS runs the host' : 'the task names no container instance' }, calls: 0 };
    }
    const cluster = needFact(needs, 'clusterArn', isString) ?? target.cluster;
    const response = await clients.ecs(target.region).send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [arn] }), { abortSignal: signal });
    const instance = response.containerInstances?.[0];
    if (!instance) {
      const reason = response.failures?.map((f) => f.reason).filter(Boolean).join(', ');
      throw new AwsSourceError('why137_source_unavailable', 'not_found', `ECS container instance ${arn}: not found${reason ? ` (${reason})` : ''}; a deregistered instance is forgotten`);
    }
    const attribute = (name: string) => instance.attributes?.find((a) => a.name === name)?.value;
    return {
      artifacts: [],
      facts: defined({
        ec2InstanceId: instance.ec2InstanceId,
        containerInstanceArn: instance.containerInstanceArn ?? arn,
        instanceType: attribute('ecs.instance-type'),
        availabilityZone: attribute('ecs.availability-zone'),
      }),
      calls: 1,
    };
  },
};

function isString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}
