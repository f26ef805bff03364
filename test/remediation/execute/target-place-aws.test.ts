import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Clients } from '../../../src/clients/clients.js';
import { configSchema } from '../../../src/config/config-schema.js';
import { editReaching } from '../../../src/chat/slack/edit-reaching.js';
import type { Subject } from '../../../src/diagnosis/evidence.js';
import type { Edit } from '../../../src/remediation/edit.js';
import { ecsExecutor } from '../../../src/remediation/execute/ecs.js';
import type { ExecuteContext } from '../../../src/remediation/execute/executor.js';
import { lambdaExecutor } from '../../../src/remediation/execute/lambda.js';
import { plan } from '../../../src/remediation/plan.js';
import { parseTarget } from '../../../src/targets/parse-target.js';
import { targetPlace } from '../../../src/targets/target-place.js';
import { describeWithComponents } from '../../helpers/component.js';
import { startMoto, type Moto } from '../../helpers/moto.js';
import { MiB, ecsTask, invocation, lambdaConfig, limits, verdict } from '../build.js';

// Defaults the edits must NOT fall back to: aws.region is eu-west-1, the kube default context is unnamed.
const config = configSchema.parse({ aws: { region: 'eu-west-1' }, kubernetes: { contexts: ['prod'] } });
const at = (t: string) => parseTarget(t, { kubeContexts: ['prod'] });
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const unused = (what: string) => (): never => { throw new Error(`${what} is not used here`); };

describeWithComponents('ECS and Lambda targets naming a region other than aws.region: apply goes to that region', ['moto_server'], () => {
  let moto: Moto;
  const made: { ecs: ECSClient[]; lambda: LambdaClient[] } = { ecs: [], lambda: [] };
  const asked: { service: string; region: string | undefined }[] = [];
  let ctx: ExecuteContext;
  // One moto, regions kept apart by it: a client per region asked for, the default being aws.region.
  const ecsIn = (region: string) => { const c = new ECSClient({ endpoint: moto.endpoint, region, credentials: CREDENTIALS }); made.ecs.push(c); return c; };
  const lambdaIn = (region: string) => { const c = new LambdaClient({ endpoint: moto.endpoint, region, credentials: CREDENTIALS }); made.lambda.push(c); return c; };

  beforeAll(async () => {
    moto = await startMoto();
    const clients: Clients = {
      ecs: (region) => { asked.push({ service: 'ecs', region }); return ecsIn(region ?? config.aws.region!); },
      lambda: (region) => { asked.push({ service: 'lambda', region }); return lambdaIn(region ?? config.aws.region!); },
      kubernetes: unused('kubernetes'), logs: unused('logs'), docker: unused('docker'), ssh: unused('ssh'),
    };
    ctx = { clients, signal: new AbortController().signal };
  });
  afterAll(async () => {
    for (const c of [...made.ecs, ...made.lambda]) c.destroy();
    await moto?.stop();
  });
  beforeEach(() => { asked.length = 0; });

  test('ecs:ap-south-1/prod/TASK: the edit and every aws command name ap-south-1; the service there moves to the new revision', async () => {
    const there = ecsIn('ap-south-1');
    await there.send(new CreateClusterCommand({ clusterName: 'prod' }));
    const td = await there.send(new RegisterTaskDefinitionCommand({
      family: 'api', containerDefinitions: [{ name: 'api', image: 'registry.example.com/api:7', essential: true, memory: 512 }],
    }));
    const arn = td.taskDefinition!.taskDefinitionArn!;
    await there.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'api-svc', taskDefinition: arn, desiredCount: 1, launchType: 'EC2' }));

    const target = at('ecs:ap-south-1/prod/0123456789abcdef0123456789abcdef');
    const api: Subject & { platform: 'ecs' } = { platform: 'ecs', cluster: 'prod', containerName: 'api', taskArn: 'arn:aws:ecs:ap-south-1:123456789012:task/prod/0123456789abcdef0123456789abcdef', ...targetPlace(target) };
    const proposal = plan(verdict('cgroup_oom', api, { peakBytes: 500 * MiB, limitBytes: 512 * MiB }), [
      limits(api, 512 * MiB), ecsTask(api, { taskDefinitionArn: arn, group: 'service:api-svc', launchType: 'EC2' }),
    ]).find((p) => p.action === 'raise_memory_limit')!;
    const edit = proposal.edit as Extract<Edit, { platform: 'ecs' }>;
    expect(edit).toMatchObject({ platform: 'ecs', region: 'ap-south-1', cluster: 'prod', service: 'api-svc', container: 'api' });
    for (const line of proposal.command.split('\n').filter((l) => l.includes('aws ecs '))) expect(line).toContain('--region ap-south-1');
    expect(editReaching(edit, target, config)).toEqual({ edit });
    expect(editReaching({ ...edit, region: undefined }, target, config)).toMatchObject({ why: expect.stringContaining('--region ap-south-1') });

    const snap = await ecsExecutor.snapshot(edit, ctx);
    await ecsExecutor.apply(edit, snap, ctx);
    const svc = (await there.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api-svc'] }))).services![0]!;
    expect(svc.taskDefinition).not.toBe(arn);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((a) => a.service === 'ecs' && a.region === 'ap-south-1')).toBe(true);
  });

  test('lambda:us-east-1/FN: the edit and the command name us-east-1; MemorySize changes there, not in aws.region', async () => {
    const role = 'arn:aws:iam::123456789012:role/fn-role';
    await createRole(moto.endpoint);
    const there = lambdaIn('us-east-1');
    await there.send(new CreateFunctionCommand({
      FunctionName: 'resize', Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler', MemorySize: 256,
      Code: { ZipFile: Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...Array<number>(18).fill(0)]) },
    }));

    const target = at('lambda:us-east-1/resize');
    const fn: Subject & { platform: 'lambda' } = { platform: 'lambda', functionName: 'resize', ...targetPlace(target) };
    const proposal = plan(verdict('lambda_oom', fn), [lambdaConfig(fn, 256), invocation(fn, 256, 256)]).find((p) => p.action === 'raise_lambda_memory')!;
    const edit = proposal.edit as Extract<Edit, { platform: 'lambda' }>;
    expect(edit).toMatchObject({ platform: 'lambda', region: 'us-east-1', functionName: 'resize' });
    expect(proposal.command).toContain("aws lambda update-function-configuration --function-name resize --region us-east-1 --memory-size");
    expect(editReaching(edit, target, config)).toEqual({ edit });

    const snap = await lambdaExecutor.snapshot(edit, ctx);
    await lambdaExecutor.apply(edit, snap, ctx);
    expect((await there.send(new GetFunctionConfigurationCommand({ FunctionName: 'resize' }))).MemorySize).toBe(edit.memorySizeMb);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((a) => a.service === 'lambda' && a.region === 'us-east-1')).toBe(true);
    // aws.region (eu-west-1) has no such function: the default client could not have applied it.
    await expect(lambdaIn('eu-west-1').send(new GetFunctionConfigurationCommand({ FunctionName: 'resize' }))).rejects.toThrow();
  });
});

/** moto's CreateFunction wants the role to exist in its IAM (query protocol: a plain form POST). */
async function createRole(endpoint: string): Promise<void> {
  const body = new URLSearchParams({
    Action: 'CreateRole', Version: '2010-05-08', RoleName: 'fn-role',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  });
  const res = await fetch(endpoint, {
    method: 'POST', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20240501/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
  });
  if (!res.ok) throw new Error(`moto CreateRole: ${res.status} ${await res.text()}`);
}
