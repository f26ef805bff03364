import {
  CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand, UpdateServiceCommand, type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { Clients } from '../../../src/clients/clients.js';
import type { Subject } from '../../../src/diagnosis/evidence.js';
import type { Edit } from '../../../src/remediation/edit.js';
import { ecsExecutor } from '../../../src/remediation/execute/ecs.js';
import type { ExecuteContext } from '../../../src/remediation/execute/executor.js';
import { fingerprint } from '../../../src/remediation/execute/fingerprint.js';
import { plan } from '../../../src/remediation/plan.js';
import { Why137Error } from '../../../src/errors/why137-error.js';
import { describeWithComponents } from '../../helpers/component.js';
import { startMoto, type Moto } from '../../helpers/moto.js';
import { MiB, ecsTask, limits, runtime, verdict } from '../build.js';

type EcsEdit = Extract<Edit, { platform: 'ecs' }>;
const ACCOUNT_ARN = 'arn:aws:ecs:us-east-1:123456789012';
const SECRET = 'db-pass-7Hq2Lm9Xv4Rz8Kp1';

async function errorOf(p: Promise<unknown>): Promise<Why137Error> {
  try { await p; } catch (err) { if (err instanceof Why137Error) return err; throw err; }
  throw new Error('expected a Why137Error, nothing was thrown');
}

/** What a task definition is, minus what registration assigns and what the edit changed. */
function copied(td: TaskDefinition): Partial<TaskDefinition> {
  const { taskDefinitionArn: _a, revision: _r, cpu: _c, memory: _m, containerDefinitions, ...rest } = td;
  return { ...rest, containerDefinitions: containerDefinitions?.filter((c) => c.name !== 'api') };
}

describeWithComponents('ecsExecutor on moto', ['moto_server'], () => {
  let moto: Moto;
  let ecs: ECSClient;
  let ctx: ExecuteContext;

  const service = async (name: string) => (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [name] }))).services![0]!;
  const taskDefinition = async (ref: string) => (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] })));
  const revisions = async () => (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'api' }))).taskDefinitionArns ?? [];

  /** A Fargate task definition registered as the next revision of `api`, and a service running it. */
  const serviceOn = async (name: string, memory = 1536): Promise<string> => {
    const td = await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'api', cpu: '256', memory: '2048', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'api', image: 'registry.example.com/api:7', essential: true, memory,
          environment: [{ name: 'DB_PASSWORD', value: SECRET }, { name: 'NODE_OPTIONS', value: '--enable-source-maps' }],
        },
        { name: 'envoy', image: 'envoyproxy/envoy:v1.29', essential: false, memoryReservation: 256 },
      ],
      tags: [{ key: 'team', value: 'payments' }],
    }));
    // NOTE: moto creates a FARGATE service without a networkConfiguration, and validates no Fargate size pair.
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: name, taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 2, launchType: 'FARGATE' }));
    return td.taskDefinition!.taskDefinitionArn!;
  };

  beforeAll(async () => {
    moto = await startMoto();
    ecs = new ECSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    const unused = (what: string) => (): never => { throw new Error(`${what} is not used here`); };
    const clients: Clients = {
      ecs: () => ecs, kubernetes: unused('kubernetes'), logs: unused('logs'), lambda: unused('lambda'), docker: unused('docker'), ssh: unused('ssh'),
    };
    ctx = { clients, signal: new AbortController().signal };
  });
  afterAll(async () => { ecs?.destroy(); await moto?.stop(); });

  test('the planner\'s edit: revision N+1 copied from N with the memory, task size and NODE_OPTIONS changed; the service moves to it; rollback moves it back', async () => {
    const n = await serviceOn('api-svc');
    const revision = n.split(':').pop();
    const api: Subject & { platform: 'ecs' } = { platform: 'ecs', cluster: 'prod', containerName: 'api', taskArn: `${ACCOUNT_ARN}:task/prod/0123456789abcdef` };
    const proposals = plan(verdict('cgroup_oom', api, { peakBytes: 1500 * MiB, limitBytes: 1536 * MiB, factors: ['runtime_unaware_of_limit'] }), [
      limits(api, 1536 * MiB), limits({ ...api, containerName: 'envoy' }, null, { memoryReservationBytes: 256 * MiB }),
      limits({ platform: 'ecs', cluster: 'prod', taskArn: api.taskArn }, 2048 * MiB, { scope: 'task', cpu: '256', launchType: 'FARGATE' }),
      ecsTask(api, { taskDefinitionArn: n, group: 'service:api-svc', launchType: 'FARGATE' }),
      runtime(api, { runtime: 'node', runtimeVersion: 16, envNames: ['DB_PASSWORD', 'NODE_OPTIONS'] }),
    ]);
    const edit = proposals.find((p) => p.action === 'raise_memory_limit')!.edit as EcsEdit;
    expect(edit).toEqual({
      platform: 'ecs', cluster: 'prod', service: 'api-svc', taskDefinition: `api:${revision}`, container: 'api',
      memoryMiB: 2304, taskMemory: '3072', taskCpu: '512', env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '1728' }],
    });

    const snap = await ecsExecutor.snapshot(edit, ctx);
    expect(snap.state).toEqual({
      service: 'prod/api-svc', taskDefinitionArn: n, container: 'api', memoryMiB: 1536, taskMemory: '2048', taskCpu: '256',
      env: { NODE_OPTIONS: { exists: true, flags: { '--max-old-space-size': null } } },
    });
    const done = await ecsExecutor.apply(edit, snap, ctx);

    const next = (await service('api-svc')).taskDefinition!;
    expect(next).toBe(`${ACCOUNT_ARN}:task-definition/api:${Number(revision) + 1}`);
    const [before, after] = await Promise.all([taskDefinition(n), taskDefinition(next)]);
    const app = after.taskDefinition!.containerDefinitions!.find((c) => c.name === 'api')!;
    expect(app.memory).toBe(2304);
    expect(app.environment).toEqual([{ name: 'DB_PASSWORD', value: SECRET }, { name: 'NODE_OPTIONS', value: '--max-old-space-size=1728 --enable-source-maps' }]);
    expect(app.image).toBe('registry.example.com/api:7');
    expect([after.taskDefinition!.cpu, after.taskDefinition!.memory]).toEqual(['512', '3072']);
    expect(copied(after.taskDefinition!)).toEqual(copied(before.taskDefinition!));
    expect(after.tags).toEqual([{ key: 'team', value: 'payments' }]);
    expect(done.undo).toEqual({ previousTaskDefinitionArn: n, taskDefinitionArn: next });
    expect(done.detail).toBe(`ECS service prod/api-svc: api:${revision} → api:${Number(revision) + 1}, container api: memory 1536 → 2304, task memory 2048 → 3072, task cpu 256 → 512, NODE_OPTIONS --max-old-space-size (unset) → 1728 (deployment started)`);
    for (const text of [JSON.stringify(snap), JSON.stringify(done)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('--enable-source-maps');
    }

    const back = await ecsExecutor.rollback(edit, done, ctx);
    expect((await service('api-svc')).taskDefinition).toBe(n);
    expect(back.detail).toContain(`api:${Number(revision) + 1} → api:${revision}`);
  });

  test('the service moved on between snapshot and apply: why137_target_changed, nothing registered', async () => {
    const n = await serviceOn('moved-svc');
    const edit: EcsEdit = { platform: 'ecs', cluster: 'prod', service: 'moved-svc', taskDefinition: n.split('/').pop()!, container: 'api', memoryMiB: 2048 };
    const snap = await ecsExecutor.snapshot(edit, ctx);
    const other = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'api', image: 'registry.example.com/api:8', memory: 1536 }] }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'moved-svc', taskDefinition: other.taskDefinition!.taskDefinitionArn! }));
    const count = (await revisions()).length;
    const err = await errorOf(ecsExecutor.apply(edit, snap, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect(err.message).toContain(`runs api:${other.taskDefinition!.revision} now, not ${edit.taskDefinition}`);
    expect(await revisions()).toHaveLength(count);
    expect((await service('moved-svc')).taskDefinition).toBe(other.taskDefinition!.taskDefinitionArn);
  });

  test('a snapshot recorded from other values (container memory 1024, not 1536) is a changed target, nothing registered', async () => {
    const n = await serviceOn('drift-svc');
    const edit: EcsEdit = { platform: 'ecs', cluster: 'prod', service: 'drift-svc', taskDefinition: n.split('/').pop()!, container: 'api', memoryMiB: 2048 };
    const snap = await ecsExecutor.snapshot(edit, ctx);
    const recorded = { ...snap.state, memoryMiB: 1024 };
    const count = (await revisions()).length;
    const err = await errorOf(ecsExecutor.apply(edit, { fingerprint: fingerprint(recorded), state: recorded }, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect(err.message).toContain('memory changed since the proposal was made');
    expect(await revisions()).toHaveLength(count);
    expect((await service('drift-svc')).taskDefinition).toBe(n);
  });

  test('a Fargate size Fargate does not have is refused before anything is registered (moto would accept it)', async () => {
    const n = await serviceOn('size-svc');
    const edit: EcsEdit = { platform: 'ecs', cluster: 'prod', service: 'size-svc', taskDefinition: n.split('/').pop()!, container: 'api', memoryMiB: 2800, taskMemory: '3000' };
    const count = (await revisions()).length;
    const err = await errorOf(ecsExecutor.apply(edit, await ecsExecutor.snapshot(edit, ctx), ctx));
    expect(err.code).toBe('why137_invalid_value');
    expect(err.message).toContain('Fargate has no task of cpu 256 with 3000 MiB; at cpu 256 memory is 512 to 2048 MiB');
    expect(await revisions()).toHaveLength(count);
  });

  test('rollback refuses when the service moved on after the apply', async () => {
    const n = await serviceOn('later-svc');
    const edit: EcsEdit = { platform: 'ecs', cluster: 'prod', service: 'later-svc', taskDefinition: n.split('/').pop()!, container: 'api', stopTimeout: 60 };
    const done = await ecsExecutor.apply(edit, await ecsExecutor.snapshot(edit, ctx), ctx);
    expect(done.detail).toContain('stopTimeout (unset) → 60');
    const third = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'api', image: 'registry.example.com/api:9', memory: 1536 }] }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'later-svc', taskDefinition: third.taskDefinition!.taskDefinitionArn! }));
    const err = await errorOf(ecsExecutor.rollback(edit, done, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect((await service('later-svc')).taskDefinition).toBe(third.taskDefinition!.taskDefinitionArn);
  });

  test('a service that does not exist is a changed target', async () => {
    const edit: EcsEdit = { platform: 'ecs', cluster: 'prod', service: 'no-such-svc', taskDefinition: 'api:1', container: 'api', memoryMiB: 2048 };
    const err = await errorOf(ecsExecutor.snapshot(edit, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect(err.message).toContain('MISSING');
  });
});
