import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { Clients } from '../../../src/clients/clients.js';
import type { Subject } from '../../../src/diagnosis/evidence.js';
import type { Edit } from '../../../src/remediation/edit.js';
import type { ExecuteContext } from '../../../src/remediation/execute/executor.js';
import { lambdaExecutor } from '../../../src/remediation/execute/lambda.js';
import { plan } from '../../../src/remediation/plan.js';
import { Why137Error } from '../../../src/errors/why137-error.js';
import { startAwsRecordedFake, type AwsRecordedFake } from '../../fakes/aws-recorded.js';
import { describeWithComponents } from '../../helpers/component.js';
import { startMoto, type Moto } from '../../helpers/moto.js';
import { invocation, lambdaConfig, runtime, verdict } from '../build.js';

type LambdaEdit = Extract<Edit, { platform: 'lambda' }>;
const SECRET = 'erp_live_7Hq2Lm9Xv4Rz8Kp1';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/thumbnailer-role';
// An empty zip archive (just the end-of-central-directory record): moto stores the code, it never runs it.
const EMPTY_ZIP = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...Array<number>(18).fill(0)]);
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const VARIABLES = { ERP_API_TOKEN: SECRET, NODE_OPTIONS: '--max-old-space-size=200 --enable-source-maps', TABLE_NAME: 'orders-prod' };

async function errorOf(p: Promise<unknown>): Promise<Why137Error> {
  try { await p; } catch (err) { if (err instanceof Why137Error) return err; throw err; }
  throw new Error('expected a Why137Error, nothing was thrown');
}

function clientsFor(lambda: LambdaClient): Clients {
  const unused = (what: string) => (): never => { throw new Error(`${what} is not used here`); };
  return { lambda: () => lambda, ecs: unused('ecs'), kubernetes: unused('kubernetes'), logs: unused('logs'), docker: unused('docker'), ssh: unused('ssh') };
}

/** moto's CreateFunction wants the role to exist in its IAM; IAM speaks the query protocol, so a plain form POST does it. */
async function createRole(endpoint: string): Promise<void> {
  const body = new URLSearchParams({
    Action: 'CreateRole', Version: '2010-05-08', RoleName: 'thumbnailer-role',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  });
  const res = await fetch(endpoint, {
    method: 'POST', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20240501/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
  });
  if (!res.ok) throw new Error(`moto CreateRole: ${res.status} ${await res.text()}`);
}

describeWithComponents('lambdaExecutor on moto', ['moto_server'], () => {
  let moto: Moto;
  let lambda: LambdaClient;
  let ctx: ExecuteContext;
  const config = (fn: string) => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
  const create = (fn: string) => lambda.send(new CreateFunctionCommand({
    FunctionName: fn, Runtime: 'nodejs16.x', Role: ROLE_ARN, Handler: 'index.handler', MemorySize: 256, Timeout: 30,
    Code: { ZipFile: EMPTY_ZIP }, Environment: { Variables: VARIABLES },
  }));

  beforeAll(async () => {
    moto = await startMoto();
    await createRole(moto.endpoint);
    lambda = new LambdaClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
    ctx = { clients: clientsFor(lambda), signal: new AbortController().signal };
  });
  afterAll(async () => { lambda?.destroy(); await moto?.stop(); });

  test('the planner\'s edit: MemorySize and NODE_OPTIONS set, every other variable sent back as it was; rollback restores both', async () => {
    await create('thumbnailer');
    const fn: Subject & { platform: 'lambda' } = { platform: 'lambda', functionName: 'thumbnailer' };
    const proposals = plan(verdict('lambda_oom', fn, { factors: ['heap_at_or_above_limit'] }), [
      lambdaConfig(fn, 256, { runtime: 'nodejs16.x' }), invocation(fn, 256, 256),
      runtime(fn, { runtime: 'node', runtimeVersion: 16, nodeMaxOldSpaceMb: 200, envNames: Object.keys(VARIABLES), settingSources: { nodeMaxOldSpaceMb: 'NODE_OPTIONS' } }),
    ]);
    const edit = proposals.find((p) => p.action === 'raise_lambda_memory')!.edit as LambdaEdit;
    expect(edit).toEqual({ platform: 'lambda', functionName: 'thumbnailer', memorySizeMb: 384, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '288' }] });

    const snap = await lambdaExecutor.snapshot(edit, ctx);
    // NOTE: moto's functions have no RevisionId (its docs: "The RevisionId parameter is not yet implemented").
    expect(snap.state).toEqual({ functionName: 'thumbnailer', revisionId: null, memorySizeMb: 256, env: { NODE_OPTIONS: { exists: true, flags: { '--max-old-space-size': '200' } } } });
    const done = await lambdaExecutor.apply(edit, snap, ctx);
    const after = await config('thumbnailer');
    expect(after.MemorySize).toBe(384);
    expect(after.Environment?.Variables).toEqual({ ...VARIABLES, NODE_OPTIONS: '--max-old-space-size=288 --enable-source-maps' });
    expect(done.detail).toBe('function thumbnailer: MemorySize 256 → 384, NODE_OPTIONS --max-old-space-size 200 → 288 (applies to $LATEST)');
    for (const text of [JSON.stringify(snap), JSON.stringify(done)]) {
      for (const hidden of [SECRET, 'orders-prod', 'ERP_API_TOKEN', '--enable-source-maps']) expect(text).not.toContain(hidden);
    }

    await lambdaExecutor.rollback(edit, done, ctx);
    const back = await config('thumbnailer');
    expect(back.MemorySize).toBe(256);
    expect(back.Environment?.Variables).toEqual(VARIABLES);
  });

  test('changed between snapshot and apply (MemorySize updated by someone else): why137_target_changed, nothing written', async () => {
    await create('resizer');
    const edit: LambdaEdit = { platform: 'lambda', functionName: 'resizer', memorySizeMb: 384 };
    const snap = await lambdaExecutor.snapshot(edit, ctx);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'resizer', MemorySize: 512 }));
    // moto does not enforce RevisionId: this is the executor's own comparison, made before any write.
    const err = await errorOf(lambdaExecutor.apply(edit, snap, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect(err.message).toBe('function resizer: MemorySize changed since the proposal was made; nothing was changed, diagnose it again');
    expect((await config('resizer')).MemorySize).toBe(512);
  });

  test('a variable the edit created is removed on rollback; a missing function is a changed target', async () => {
    await create('gofn');
    const edit: LambdaEdit = { platform: 'lambda', functionName: 'gofn', env: [{ name: 'GOMEMLIMIT', value: '230MiB' }] };
    const done = await lambdaExecutor.apply(edit, await lambdaExecutor.snapshot(edit, ctx), ctx);
    expect((await config('gofn')).Environment?.Variables).toEqual({ ...VARIABLES, GOMEMLIMIT: '230MiB' });
    await lambdaExecutor.rollback(edit, done, ctx);
    expect((await config('gofn')).Environment?.Variables).toEqual(VARIABLES);
    expect((await errorOf(lambdaExecutor.snapshot({ ...edit, functionName: 'no-such-function' }, ctx))).code).toBe('why137_target_changed');
  });
});

describe('lambdaExecutor: the RevisionId precondition (recorded AWS fake, since moto ignores RevisionId)', () => {
  let fake: AwsRecordedFake;
  let lambda: LambdaClient;
  const GET = 'GET /2015-03-31/functions/thumbnailer/configuration';
  const PUT = 'PUT /2015-03-31/functions/thumbnailer/configuration';
  const configuration = (revision: string, memory: number) => ({
    json: { FunctionName: 'thumbnailer', MemorySize: memory, RevisionId: revision, State: 'Active', LastUpdateStatus: 'Successful', Environment: { Variables: VARIABLES } },
  });
  beforeAll(async () => {
    fake = await startAwsRecordedFake();
    lambda = new LambdaClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(async () => { lambda?.destroy(); await fake?.stop(); });

  const edit: LambdaEdit = { platform: 'lambda', functionName: 'thumbnailer', memorySizeMb: 384, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '288' }] };

  test('the write carries the RevisionId just read and the full variable map; PreconditionFailed → why137_target_changed', async () => {
    const ctx: ExecuteContext = { clients: clientsFor(lambda), signal: new AbortController().signal };
    fake.reply(GET, configuration('rev-1', 256));
    fake.reply(PUT, { error: 'PreconditionFailedException', message: 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', status: 412 });
    const snap = await lambdaExecutor.snapshot(edit, ctx);
    expect(snap.state.revisionId).toBe('rev-1');
    const err = await errorOf(lambdaExecutor.apply(edit, snap, ctx));
    expect(err.code).toBe('why137_target_changed');
    expect(err.message).not.toContain(SECRET);
    expect(fake.callsTo(PUT).map((c) => c.body)).toEqual([{
      RevisionId: 'rev-1', MemorySize: 384,
      Environment: { Variables: { ...VARIABLES, NODE_OPTIONS: '--max-old-space-size=288 --enable-source-maps' } },
    }]);
  });

  test('a RevisionId that moved since the snapshot is a change even with the same values: nothing written', async () => {
    const ctx: ExecuteContext = { clients: clientsFor(lambda), signal: new AbortController().signal };
    fake.reply(GET, configuration('rev-1', 256), configuration('rev-2', 256));
    const snap = await lambdaExecutor.snapshot(edit, ctx);
    const puts = fake.callsTo(PUT).length;
    expect((await errorOf(lambdaExecutor.apply(edit, snap, ctx))).message).toContain('its configuration (RevisionId) changed');
    expect(fake.callsTo(PUT)).toHaveLength(puts);
  });
});
