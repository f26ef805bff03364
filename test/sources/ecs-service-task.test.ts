import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { ecsServiceTaskSource } from '../../src/sources/ecs-service-task.js';
import { startAwsRecordedFake, type AwsRecordedFake, type RecordedCall } from '../fakes/aws-recorded.js';
import { awsContext } from '../helpers/aws-context.js';
import { describeWithComponents } from '../helpers/component.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { recordedResponse } from '../helpers/recorded-response.js';

type Doc = { tasks: Record<string, unknown>[]; failures: unknown[] };
const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:123456789012:cluster/prod-api';
const target = { kind: 'ecs-service' as const, cluster: 'prod-api', service: 'orders-api' };

/** A stopped task of the service, from the recorded Fargate OOM task, with its own id, stop time and exit. */
function stoppedTask(id: string, stoppedAt: string, container: { exitCode: number; reason?: string }, stoppedReason: string): Record<string, unknown> {
  const task = recordedResponse<Doc>('ecs', 'tasks-fargate-oom.json').tasks[0]!;
  const arn = `arn:aws:ecs:us-east-1:123456789012:task/prod-api/${id}`;
  const c = (task.containers as Record<string, unknown>[])[0]!;
  delete c.reason;
  Object.assign(c, { taskArn: arn, runtimeId: `${id}-1`, ...container });
  return { ...task, taskArn: arn, stoppedAt, stoppedReason, stopCode: container.exitCode === 137 && !container.reason ? 'ServiceSchedulerInitiated' : 'EssentialContainerExited' };
}

const OLD_OOM = stoppedTask('0aa00000000000000000000000000001', '2024-05-01T09:50:00.000000+00:00', { exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }, 'OutOfMemoryError: Container killed due to memory usage');
const NEW_OOM = stoppedTask('0aa00000000000000000000000000002', '2024-05-01T10:17:58.457000+00:00', { exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }, 'OutOfMemoryError: Container killed due to memory usage');
const NEWEST_CLEAN = stoppedTask('0aa00000000000000000000000000003', '2024-05-01T10:25:00+00:00', { exitCode: 0 }, 'Scaling activity initiated by (deployment ecs-svc/1)');
const NEWEST_EXIT_1 = stoppedTask('0aa00000000000000000000000000004', '2024-05-01T10:26:00+00:00', { exitCode: 1 }, 'Essential container in task exited');
const ALL = [OLD_OOM, NEW_OOM, NEWEST_CLEAN, NEWEST_EXIT_1];

/** DescribeTasks as ECS answers it: the requested tasks it knows, in request order. */
const describeFrom = (tasks: Record<string, unknown>[]) => (call: RecordedCall) => {
  const wanted = (call.body as { tasks: string[] }).tasks;
  return { cli: { tasks: wanted.map((arn) => tasks.find((t) => t.taskArn === arn)).filter(Boolean), failures: [] } };
};

describe('ecsServiceTaskSource against recorded ListTasks/DescribeTasks responses', () => {
  let fake: AwsRecordedFake;
  beforeEach(async () => { fake = await startAwsRecordedFake(); });
  afterEach(async () => { await fake.stop(); });

  const collect = () => ecsServiceTaskSource.collect(awsContext({ endpoint: fake.endpoint, target, params: {} }));

  test('picks the most recently stopped task killed by OOM, not a newer clean stop', async () => {
    fake.reply('ListTasks', { json: { taskArns: ALL.map((t) => t.taskArn) } });
    fake.reply('DescribeTasks', describeFrom(ALL));
    const out = await collect();

    expect(fake.callsTo('ListTasks')[0]!.body).toEqual({ cluster: 'prod-api', serviceName: 'orders-api', desiredStatus: 'STOPPED' });
    expect(out.calls).toBe(2);
    expect(out.facts).toMatchObject({ taskArn: NEW_OOM.taskArn, stoppedAt: '2024-05-01T10:17:58.457Z', service: 'orders-api', stoppedTasksSeen: 4, matchingTasks: 2, group: 'service:orders-api', launchType: 'FARGATE' });
    const doc = JSON.parse(out.artifacts[0]!.content) as Doc;
    expect(doc.tasks.map((t) => t.taskArn)).toEqual([NEW_OOM.taskArn]);
    expect(doc.tasks[0]!.clusterArn).toBe(CLUSTER_ARN);
    expect((await readArtifactContent('ecs-tasks.json', out.artifacts[0]!.content)).kind).toBe('ecs.tasks');
  });

  test('a container that exited 137 without an OOM reason counts; pages of ListTasks are followed and DescribeTasks batched', async () => {
    const killed = stoppedTask('0bb00000000000000000000000000001', '2024-05-01T10:40:00+00:00', { exitCode: 137 }, 'Task stopped by user');
    const filler = Array.from({ length: 150 }, (_, i) => stoppedTask(`0cc${String(i).padStart(29, '0')}`, '2024-05-01T10:00:00+00:00', { exitCode: 0 }, 'Scaling activity'));
    const all = [...filler, killed];
    fake.reply('ListTasks', { json: { taskArns: all.slice(0, 100).map((t) => t.taskArn), nextToken: 'page-2' } }, { json: { taskArns: all.slice(100).map((t) => t.taskArn) } });
    fake.reply('DescribeTasks', describeFrom(all));
    const out = await collect();
    expect((fake.callsTo('ListTasks')[1]!.body as { nextToken?: string }).nextToken).toBe('page-2');
    expect(fake.callsTo('DescribeTasks').map((c) => (c.body as { tasks: string[] }).tasks.length)).toEqual([100, 51]);
    expect(out.calls).toBe(4);
    expect(out.facts).toMatchObject({ taskArn: killed.taskArn, stoppedTasksSeen: 151, matchingTasks: 1 });
  });

  test('no matching stopped task: not_found, saying ECS keeps stopped tasks about an hour and pointing at Logs Insights', async () => {
    fake.reply('ListTasks', { json: { taskArns: [NEWEST_CLEAN.taskArn, NEWEST_EXIT_1.taskArn] } });
    fake.reply('DescribeTasks', describeFrom(ALL));
    const err = await collect().catch((e: unknown) => e) as Error;
    expect(classifyFault(err).fault).toBe('not_found');
    expect(err.message).toMatch(/none found/);
    expect(err.message).toMatch(/ECS keeps stopped tasks about an hour/);
    expect(err.message).toMatch(/awslogs group.*Logs Insights/);
  });

  test('no stopped task at all: not_found without a DescribeTasks call', async () => {
    fake.reply('ListTasks', { json: { taskArns: [] } });
    const err = await collect().catch((e: unknown) => e) as Error;
    expect(classifyFault(err).fault).toBe('not_found');
    expect(err.message).toMatch(/0 stopped tasks seen/);
    expect(fake.callsTo('DescribeTasks')).toHaveLength(0);
  });

  test('a missing service is the SDK’s ServiceNotFoundException, classified not_found', async () => {
    fake.reply('ListTasks', { error: 'ServiceNotFoundException', message: 'Service not found.' });
    const err = await collect().catch((e: unknown) => e) as Error;
    expect(err.name).toBe('ServiceNotFoundException');
    expect(classifyFault(err).fault).toBe('not_found');
  });
});

describeWithComponents('ecsServiceTaskSource on moto', ['moto_server'], () => {
  let moto: Moto;
  let ecs: ECSClient;
  beforeAll(async () => {
    moto = await startMoto();
    ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod-api' }));
    await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'orders-api', cpu: '256', memory: '512',
      // NOTE: moto's RunTask sums container-level memory and fails without it; with networkMode awsvpc (its default for
      // FARGATE compatibility) it wants real EC2 subnets and security groups, so the definition names no compatibility.
      containerDefinitions: [{ name: 'api', image: 'orders-api:1', essential: true, memory: 512 }],
    }));
  });
  afterAll(async () => { ecs?.destroy(); await moto?.stop(); });

  const runServiceTask = async (service: string) => {
    // NOTE: moto places FARGATE tasks without container instances; it cannot set container exit codes, so the
    // stop reason (what StopTask records as stoppedReason) carries the OOM.
    const run = await ecs.send(new RunTaskCommand({
      cluster: 'prod-api', taskDefinition: 'orders-api:1', launchType: 'FARGATE', group: `service:${service}`, startedBy: 'ecs-svc/1',
    }));
    return run.tasks![0]!.taskArn!;
  };

  test('finds the service task stopped for OutOfMemory through ListTasks/DescribeTasks', async () => {
    const arn = await runServiceTask('orders-api');
    await ecs.send(new StopTaskCommand({ cluster: 'prod-api', task: arn, reason: 'OutOfMemoryError: Container killed due to memory usage' }));
    const out = await ecsServiceTaskSource.collect(awsContext({ endpoint: moto.endpoint, target, params: {} }));
    expect(out.facts).toMatchObject({ taskArn: arn, group: 'service:orders-api', launchType: 'FARGATE', matchingTasks: 1 });
    const parsed = await readArtifactContent('ecs-tasks.json', out.artifacts[0]!.content);
    expect(parsed.kind).toBe('ecs.tasks');
    expect(parsed.evidence.find((e) => e.kind === 'ecs.task')).toMatchObject({ stoppedReason: 'OutOfMemoryError: Container killed due to memory usage' });
  });

  test('a service whose stopped tasks were not killed: none found', async () => {
    const arn = await runServiceTask('billing');
    await ecs.send(new StopTaskCommand({ cluster: 'prod-api', task: arn, reason: 'Scaling activity initiated by (deployment ecs-svc/2)' }));
    const err = await ecsServiceTaskSource.collect(awsContext({ endpoint: moto.endpoint, target: { ...target, service: 'billing' }, params: {} })).catch((e: unknown) => e) as Error;
    expect(err.message).toMatch(/none found/);
    expect(classifyFault(err).fault).toBe('not_found');
    expect(err.message).toMatch(/1 stopped task seen; ECS keeps stopped tasks about an hour/);
  });
});
