import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { explainEvidence } from '../../src/cli/explain-files.js';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import { ecsContainerInstanceSource } from '../../src/sources/ecs-container-instance.js';
import { ecsTaskDefinitionSource } from '../../src/sources/ecs-task-definition.js';
import { ecsTasksSource } from '../../src/sources/ecs-tasks.js';
import type { StepOutput } from '../../src/sources/source.js';
import type { Target } from '../../src/targets/target.js';
import type { Explanation } from '../../src/surfaces/explanation.js';
import { startAwsRecordedFake, type AwsRecordedFake } from '../fakes/aws-recorded.js';
import { awsContext } from '../helpers/aws-context.js';
import { recordedResponse } from '../helpers/recorded-response.js';

type TaskDefDoc = { taskDefinition: Record<string, unknown> & { containerDefinitions: Record<string, unknown>[] } };

/** The orders-api:42 definition the recorded Fargate OOM task ran: the recorded Fargate definition, renamed to it, 512 MiB. */
function ordersApiDefinition(): TaskDefDoc {
  const doc = recordedResponse<TaskDefDoc>('ecs', 'taskdef-node-no-heap.json');
  Object.assign(doc.taskDefinition, { taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/orders-api:42', family: 'orders-api', revision: 42, memory: '512', cpu: '256' });
  delete doc.taskDefinition.containerDefinitions[0]!.memory;
  return doc;
}

/** Runs tasks → task definition → container instance as the ECS runbook chains them, then parses and explains. */
async function diagnoseLive(fake: AwsRecordedFake, target: Target): Promise<{ explanation: Explanation; outputs: StepOutput[] }> {
  const tasks = await ecsTasksSource.collect(awsContext({ endpoint: fake.endpoint, target, params: {} }));
  const needs = { tasks };
  const taskdef = await ecsTaskDefinitionSource.collect(awsContext({ endpoint: fake.endpoint, target, params: {}, needs }));
  const instance = await ecsContainerInstanceSource.collect(awsContext({ endpoint: fake.endpoint, target, params: {}, needs }));
  const outputs = [tasks, taskdef, instance];
  const evidence: Evidence[] = [];
  const inputs: Explanation['inputs'] = [];
  for (const artifact of outputs.flatMap((o) => o.artifacts)) {
    const parsed = await readArtifactContent(artifact.name, artifact.content);
    evidence.push(...parsed.evidence);
    inputs.push({ file: artifact.name, kind: parsed.kind });
  }
  return { explanation: explainEvidence(evidence, inputs), outputs };
}

describe('ECS live path end to end: recorded API responses → sources → parsers → verdict', () => {
  let fake: AwsRecordedFake;
  beforeEach(async () => { fake = await startAwsRecordedFake(); });
  afterEach(async () => { await fake.stop(); });

  test('a Fargate task killed at its 512 MiB task limit is cgroup_oom', async () => {
    fake.reply('DescribeTasks', { cli: recordedResponse('ecs', 'tasks-fargate-oom.json') });
    fake.reply('DescribeTaskDefinition', { cli: ordersApiDefinition() });
    const { explanation, outputs } = await diagnoseLive(fake, { kind: 'ecs', cluster: 'prod-api', task: '9c1f4be2a7d54a3e8b6f0d1c2e3f4a5b' });

    expect(explanation.inputs.map((i) => i.kind)).toEqual(['ecs.tasks', 'ecs.task-definition']);
    expect(explanation.verdict.cause).toBe('cgroup_oom');
    expect(explanation.verdict.factors.map((f) => f.code)).not.toContain('soft_limit_only');
    expect(explanation.verdict.limitBytes).toBe(512 * 1024 * 1024);
    // Fargate: no host to look up.
    expect(outputs[2]!.calls).toBe(0);
    expect(fake.callsTo('DescribeContainerInstances')).toHaveLength(0);
    expect(JSON.stringify(explanation)).not.toContain('hunter2-Catalog-Pr0d!');
  });

  test('an EC2 task with only a memoryReservation is host_oom with soft_limit_only, and its host is named', async () => {
    fake.reply('DescribeTasks', { cli: recordedResponse('ecs', 'tasks-ec2-soft-limit-oom.json') });
    fake.reply('DescribeTaskDefinition', { cli: recordedResponse('ecs', 'taskdef-soft-only.yaml') });
    fake.reply('DescribeContainerInstances', { cli: recordedResponse('ecs', 'container-instances-ec2.json') });
    const { explanation, outputs } = await diagnoseLive(fake, { kind: 'ecs', cluster: 'batch-ec2', task: '5e8a0c2f7b1d4e6a9c3f2b1a0d9e8c7b' });

    expect(explanation.verdict.cause).toBe('host_oom');
    expect(explanation.verdict.factors.map((f) => f.code)).toContain('soft_limit_only');
    expect(outputs[2]!.facts).toMatchObject({ ec2InstanceId: 'i-0a1b2c3d4e5f67890' });
    expect(fake.calls.map((c) => c.operation)).toEqual(['DescribeTasks', 'DescribeTaskDefinition', 'DescribeContainerInstances']);
  });
});
