import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import type { LimitsEvidence, RuntimeEvidence } from '../../src/diagnosis/evidence.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { ecsTaskDefinitionSource } from '../../src/sources/ecs-task-definition.js';
import type { StepOutput } from '../../src/sources/source.js';
import { startAwsRecordedFake, type AwsRecordedFake } from '../fakes/aws-recorded.js';
import { awsContext } from '../helpers/aws-context.js';
import { describeWithComponents } from '../helpers/component.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { recordedResponse } from '../helpers/recorded-response.js';

const SECRET = 'pg-Pr0d-9f8e7d6c5b4a';
const TOKEN = 'sk_live_51Hq2Lm9Xv4Rz8Kp1';
const ecsTarget = { kind: 'ecs' as const, cluster: 'prod', task: '0123456789abcdef0123456789abcdef' };
const tasksStep = (taskDefinitionArn: string): Record<string, StepOutput> => ({ tasks: { artifacts: [], facts: { taskDefinitionArn, launchType: 'FARGATE' }, calls: 1 } });

describeWithComponents('ecsTaskDefinitionSource on moto', ['moto_server'], () => {
  let moto: Moto;
  let arn: string;
  beforeAll(async () => {
    moto = await startMoto();
    const ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const registered = await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'orders-api', cpu: '512', memory: '1024',
      containerDefinitions: [{
        name: 'api', image: 'node:20', essential: true, memory: 768, memoryReservation: 512,
        command: ['node', 'server.js', `--db-password=${SECRET}`],
        environment: [
          { name: 'DATABASE_PASSWORD', value: SECRET },
          { name: 'STRIPE_KEY', value: TOKEN },
          { name: 'NODE_OPTIONS', value: `--max-old-space-size=640 --require /app/apm.js --token=${TOKEN}` },
          { name: 'NODE_ENV', value: 'production' },
        ],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/orders-api', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
      }],
    }));
    ecs.destroy();
    arn = registered.taskDefinition!.taskDefinitionArn!;
  });
  afterAll(async () => { await moto?.stop(); });

  test('DescribeTaskDefinition → limits and runtime evidence, and the secret values appear nowhere', async () => {
    const out = await ecsTaskDefinitionSource.collect(awsContext({ endpoint: moto.endpoint, target: ecsTarget, params: {}, needs: tasksStep(arn) }));
    expect(out.calls).toBe(1);
    expect(out.artifacts.map((a) => a.name)).toEqual(['ecs-task-definition.json']);
    expect(out.facts).toMatchObject({
      taskDefinitionArn: arn, family: 'orders-api', revision: 1,
      awslogs: [{ container: 'api', group: '/ecs/orders-api', region: 'us-east-1', streamPrefix: 'ecs' }],
    });

    const content = out.artifacts[0]!.content;
    const parsed = await readArtifactContent('ecs-task-definition.json', content);
    expect(parsed.kind).toBe('ecs.task-definition');
    const container = parsed.evidence.find((e): e is LimitsEvidence => e.kind === 'limits' && e.scope === 'container')!;
    expect(container).toMatchObject({ memoryLimitBytes: 768 * 1024 * 1024, memoryReservationBytes: 512 * 1024 * 1024 });
    expect(parsed.evidence.find((e): e is LimitsEvidence => e.kind === 'limits' && e.scope === 'task')).toMatchObject({ memoryLimitBytes: 1024 * 1024 * 1024 });
    const runtime = parsed.evidence.find((e): e is RuntimeEvidence => e.kind === 'runtime')!;
    // The heap flag the diagnosis needs survives redaction; the rest of NODE_OPTIONS does not.
    expect(runtime.settings).toMatchObject({ runtime: 'node', nodeMaxOldSpaceMb: 640 });
    expect(runtime.settings.envNames).toEqual(expect.arrayContaining(['DATABASE_PASSWORD', 'STRIPE_KEY', 'NODE_OPTIONS']));

    for (const text of [content, JSON.stringify(out.facts), JSON.stringify(parsed.evidence)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('/app/apm.js');
    }
    expect(JSON.parse(content).taskDefinition.containerDefinitions[0].environment).toEqual([
      { name: 'DATABASE_PASSWORD', value: '<redacted>' },
      { name: 'STRIPE_KEY', value: '<redacted>' },
      { name: 'NODE_OPTIONS', value: '--max-old-space-size=640 <redacted>' },
      { name: 'NODE_ENV', value: '<redacted>' },
    ]);
  });

  test('an unknown definition (ECS: ClientException "Unable to describe task definition.") is not_found', async () => {
    const err = await ecsTaskDefinitionSource.collect(awsContext({ endpoint: moto.endpoint, target: ecsTarget, params: {}, needs: tasksStep('orders-api:99') }))
      .catch((e: unknown) => e) as Error;
    expect(classifyFault(err).fault).toBe('not_found');
    expect(err.message).toMatch(/orders-api:99: not found \(Unable to describe task definition/);
    expect((err.cause as Error).name).toBe('ClientException');
  });
});

describe('ecsTaskDefinitionSource against recorded responses', () => {
  let fake: AwsRecordedFake;
  beforeEach(async () => { fake = await startAwsRecordedFake(); });
  afterEach(async () => { await fake.stop(); });

  test('the EC2 soft-limit definition: awslogs of the container that logs to CloudWatch only; the request names the task’s definition', async () => {
    fake.reply('DescribeTaskDefinition', { cli: recordedResponse('ecs', 'taskdef-soft-only.yaml') });
    const out = await ecsTaskDefinitionSource.collect(awsContext({
      endpoint: fake.endpoint, target: { kind: 'ecs', cluster: 'batch-ec2', task: '5e8a0c2f7b1d4e6a9c3f2b1a0d9e8c7b' }, params: {},
      needs: tasksStep('arn:aws:ecs:us-east-1:123456789012:task-definition/report-worker:17'),
    }));
    expect(fake.calls[0]!.body).toEqual({ taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/report-worker:17' });
    expect(out.facts).toMatchObject({ requiresCompatibilities: ['EC2'], awslogs: [{ container: 'report-worker', group: '/ecs/report-worker' }] });
    const doc = JSON.parse(out.artifacts[0]!.content);
    expect(doc.taskDefinition.registeredAt).toBe('2024-04-22T08:31:19.664000+00:00');
    // A version is not a secret and tells the runtime; a bucket name is just a value.
    expect(doc.taskDefinition.containerDefinitions[0].environment).toEqual([{ name: 'PYTHON_VERSION', value: '3.11.9' }, { name: 'REPORT_BUCKET', value: '<redacted>' }]);
  });

  test('params.taskDefinition serves when no tasks step ran (a service whose stopped tasks ECS forgot)', async () => {
    fake.reply('DescribeTaskDefinition', { cli: recordedResponse('ecs', 'taskdef-node-no-heap.json') });
    const out = await ecsTaskDefinitionSource.collect(awsContext({ endpoint: fake.endpoint, target: { kind: 'ecs-service', cluster: 'prod', service: 'catalog-api' }, params: { taskDefinition: 'catalog-api:15' } }));
    expect(fake.calls[0]!.body).toEqual({ taskDefinition: 'catalog-api:15' });
    expect(out.artifacts[0]!.content).not.toContain('hunter2-Catalog-Pr0d!');
  });

  test('nothing says which definition: a runbook mistake, no call made', async () => {
    const err = await ecsTaskDefinitionSource.collect(awsContext({ endpoint: fake.endpoint, target: ecsTarget, params: {} })).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('invalid');
    expect(fake.calls).toHaveLength(0);
  });
});
