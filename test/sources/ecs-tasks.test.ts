import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { ecsTasksSource } from '../../src/sources/ecs-tasks.js';
import { startAwsRecordedFake, type AwsRecordedFake } from '../fakes/aws-recorded.js';
import { awsContext } from '../helpers/aws-context.js';
import { recordedResponse } from '../helpers/recorded-response.js';

const FARGATE_TASK = 'arn:aws:ecs:us-east-1:123456789012:task/prod-api/9c1f4be2a7d54a3e8b6f0d1c2e3f4a5b';
const target = { kind: 'ecs' as const, cluster: 'prod-api', task: '9c1f4be2a7d54a3e8b6f0d1c2e3f4a5b' };

describe('ecsTasksSource against recorded DescribeTasks responses', () => {
  let fake: AwsRecordedFake;
  beforeEach(async () => { fake = await startAwsRecordedFake(); });
  afterEach(async () => { await fake.stop(); });

  const collect = (t = target) => ecsTasksSource.collect(awsContext({ endpoint: fake.endpoint, target: t, params: ecsTasksSource.params.parse({}) }));

  test('a Fargate OOM task: the artifact is the CLI output the ecs.tasks parser reads, with the facts later steps need', async () => {
    fake.reply('DescribeTasks', { cli: recordedResponse('ecs', 'tasks-fargate-oom.json') });
    const out = await collect();

    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.service).toBe('AmazonEC2ContainerServiceV20141113');
    expect(fake.calls[0]!.body).toEqual({ cluster: 'prod-api', tasks: ['9c1f4be2a7d54a3e8b6f0d1c2e3f4a5b'] });
    expect(out.calls).toBe(1);
    expect(out.artifacts.map((a) => a.name)).toEqual(['ecs-tasks.json']);
    const content = out.artifacts[0]!.content;
    // CLI v2 prints Python's isoformat; the recorded fixture is exactly that, so it survives the round trip.
    expect(content).toContain('"stoppedAt": "2024-05-01T10:17:58.457000+00:00"');
    expect(content).toContain('"executionStoppedAt": "2024-05-01T10:17:33+00:00"');
    expect(content).not.toContain('$metadata');
    expect(JSON.parse(content).tasks[0].containers[0].exitCode).toBe(137);

    expect(out.facts).toMatchObject({
      taskArn: FARGATE_TASK, taskId: '9c1f4be2a7d54a3e8b6f0d1c2e3f4a5b', cluster: 'prod-api',
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/orders-api:42', launchType: 'FARGATE',
      group: 'service:orders-api', stoppedAt: '2024-05-01T10:17:58.457Z', finishedAt: '2024-05-01T10:17:58.457Z',
      containers: [{ name: 'api', runtimeId: '9c1f4be2a7d54a3e8b6f0d1c2e3f4a5b-2531612879', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage', lastStatus: 'STOPPED' }],
    });
    expect(out.facts).not.toHaveProperty('containerInstanceArn');

    const parsed = await readArtifactContent('ecs-tasks.json', content);
    expect(parsed.kind).toBe('ecs.tasks');
    expect(parsed.evidence.find((e) => e.kind === 'container.state')).toMatchObject({ exitCode: 137, oomKilled: true });
  });

  test('an EC2 task names its container instance', async () => {
    fake.reply('DescribeTasks', { cli: recordedResponse('ecs', 'tasks-ec2-soft-limit-oom.json') });
    const out = await collect({ kind: 'ecs', cluster: 'batch-ec2', task: '5e8a0c2f7b1d4e6a9c3f2b1a0d9e8c7b' });
    expect(out.facts).toMatchObject({
      launchType: 'EC2', group: 'family:report-worker',
      containerInstanceArn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/batch-ec2/0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      stoppedAt: '2024-05-01T10:35:41.263Z',
    });
    expect((out.facts.containers as unknown[]).length).toBe(2);
  });

  test('RunTask overrides keep no environment value or secret-looking argument', async () => {
    const doc = recordedResponse<{ tasks: Record<string, unknown>[] }>('ecs', 'tasks-fargate-oom.json');
    doc.tasks[0]!.overrides = { containerOverrides: [{ name: 'api', command: ['node', 'app.js', '--db-password=s3cr3t-override'], environment: [
      { name: 'API_TOKEN', value: 'tok-live-0123456789' }, { name: 'NODE_OPTIONS', value: '--max-old-space-size=384' },
    ] }] };
    fake.reply('DescribeTasks', { cli: doc });
    const out = await collect();
    const text = out.artifacts[0]!.content + JSON.stringify(out.facts);
    expect(text).not.toContain('tok-live-0123456789');
    expect(text).not.toContain('s3cr3t-override');
    expect(text).toContain('--max-old-space-size=384');
    expect(text).toContain('API_TOKEN');
  });

  test('a task ECS no longer knows is not_found, and says ECS keeps stopped tasks about an hour', async () => {
    fake.reply('DescribeTasks', { json: { tasks: [], failures: [{ arn: FARGATE_TASK, reason: 'MISSING' }] } });
    const err = await collect().catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('not_found');
    expect((err as Error).message).toMatch(/not found \(MISSING\).*about an hour/);
  });

  test('IAM denial stays the SDK error, so the engine classifies it as denied', async () => {
    fake.reply('DescribeTasks', { error: 'AccessDeniedException', message: 'User: arn:aws:sts::123456789012:assumed-role/why137 is not authorized to perform: ecs:DescribeTasks' });
    const err = await collect().catch((e: unknown) => e) as Error & { $metadata?: { httpStatusCode?: number } };
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(classifyFault(err).fault).toBe('denied');
  });

  test('a target of another kind is a runbook mistake', async () => {
    const err = await ecsTasksSource.collect(awsContext({ endpoint: fake.endpoint, target: { kind: 'lambda', functionName: 'f' }, params: {} })).catch((e: unknown) => e);
    expect(classifyFault(err).fault).toBe('invalid');
    expect(fake.calls).toHaveLength(0);
  });
});
