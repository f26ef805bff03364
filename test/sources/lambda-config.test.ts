import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import type { LambdaConfigEvidence, RuntimeEvidence } from '../../src/diagnosis/evidence.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { lambdaConfigSource } from '../../src/sources/lambda-config.js';
import { startAwsRecordedFake, type AwsRecordedFake } from '../fakes/aws-recorded.js';
import { awsContext } from '../helpers/aws-context.js';
import { describeWithComponents } from '../helpers/component.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { recordedResponse } from '../helpers/recorded-response.js';

const SECRET = 'erp_live_7Hq2Lm9Xv4Rz8Kp1';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/orders-sync-role';
// An empty zip archive (just the end-of-central-directory record): moto stores the code, it never runs it.
const EMPTY_ZIP = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...Array<number>(18).fill(0)]);

/** moto's CreateFunction wants the role to exist in its IAM; IAM speaks the query protocol, so a plain form POST does it. */
async function createRole(endpoint: string): Promise<void> {
  const body = new URLSearchParams({
    Action: 'CreateRole', Version: '2010-05-08', RoleName: 'orders-sync-role',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  });
  const res = await fetch(endpoint, {
    method: 'POST', body,
    // moto picks the service from the credential scope of the Authorization header; it does not check the signature.
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20240501/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
  });
  if (!res.ok) throw new Error(`moto CreateRole: ${res.status} ${await res.text()}`);
}

describeWithComponents('lambdaConfigSource on moto', ['moto_server'], () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
    await createRole(moto.endpoint);
    const lambda = new LambdaClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'orders-sync', Runtime: 'nodejs20.x', Role: ROLE_ARN, Handler: 'index.handler', MemorySize: 256, Timeout: 30,
      Code: { ZipFile: EMPTY_ZIP },
      Environment: { Variables: { ERP_API_TOKEN: SECRET, NODE_OPTIONS: '--max-old-space-size=200', TABLE_NAME: 'orders-prod' } },
    }));
    lambda.destroy();
  });
  afterAll(async () => { await moto?.stop(); });

  // With a qualifier, Lambda answers with the qualified ARN.
  test('GetFunctionConfiguration with a qualifier → lambda.config evidence; the secret value appears nowhere', async () => {
    const out = await lambdaConfigSource.collect(awsContext({ endpoint: moto.endpoint, target: { kind: 'lambda', functionName: 'orders-sync', qualifier: '$LATEST' }, params: {} }));
    expect(out.calls).toBe(1);
    expect(out.facts).toEqual({
      functionName: 'orders-sync', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-sync:$LATEST', memorySize: 256, runtime: 'nodejs20.x', logGroup: '/aws/lambda/orders-sync',
    });
    const content = out.artifacts[0]!.content;
    expect(out.artifacts[0]!.name).toBe('lambda-config.json');
    const parsed = await readArtifactContent('lambda-config.json', content);
    expect(parsed.kind).toBe('lambda.config');
    expect(parsed.evidence.find((e): e is LambdaConfigEvidence => e.kind === 'lambda.config')).toMatchObject({ functionName: 'orders-sync', memorySizeMb: 256, runtime: 'nodejs20.x', timeoutSeconds: 30 });
    expect(parsed.evidence.find((e): e is RuntimeEvidence => e.kind === 'runtime')!.settings).toMatchObject({ runtime: 'node', runtimeVersion: 20, nodeMaxOldSpaceMb: 200 });
    expect(JSON.parse(content).Environment.Variables).toEqual({ ERP_API_TOKEN: '<redacted>', NODE_OPTIONS: '--max-old-space-size=200', TABLE_NAME: '<redacted>' });
    for (const text of [content, JSON.stringify(out.facts), JSON.stringify(parsed.evidence)]) expect(text).not.toContain(SECRET);
  });

  test('an unknown function is the SDK’s ResourceNotFoundException (404), classified not_found, its message naming no value', async () => {
    const err = await lambdaConfigSource.collect(awsContext({ endpoint: moto.endpoint, target: { kind: 'lambda', functionName: 'no-such-function' }, params: {} }))
      .catch((e: unknown) => e) as Error & { $metadata?: { httpStatusCode?: number } };
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(404);
    expect(classifyFault(err).fault).toBe('not_found');
  });
});

describe('lambdaConfigSource against recorded responses', () => {
  let fake: AwsRecordedFake;
  beforeEach(async () => { fake = await startAwsRecordedFake(); });
  afterEach(async () => { await fake.stop(); });

  test('the REST call carries the qualifier; LoggingConfig.LogGroup is the log group fact; values redacted', async () => {
    const doc = recordedResponse<{ LoggingConfig: { LogGroup: string } }>('lambda', 'config-node18-512.json');
    doc.LoggingConfig.LogGroup = '/shared/lambda-logs';
    fake.reply('GET /2015-03-31/functions/orders-sync/configuration', { cli: doc });
    const out = await lambdaConfigSource.collect(awsContext({ endpoint: fake.endpoint, target: { kind: 'lambda', functionName: 'orders-sync', qualifier: 'live' }, params: {} }));
    expect(fake.calls[0]!.query.get('Qualifier')).toBe('live');
    expect(out.facts).toMatchObject({ functionName: 'orders-sync', memorySize: 512, logGroup: '/shared/lambda-logs' });
    expect(out.artifacts[0]!.content).not.toContain('erp_live_7Hq2Lm9Xv4Rz8Kp1');
    // A string field in Lambda's API, printed as the API gives it.
    expect(JSON.parse(out.artifacts[0]!.content).LastModified).toBe('2024-04-30T09:12:45.000+0000');
  });

  test('AccessDenied: the SDK error, classified denied', async () => {
    fake.reply('GET /2015-03-31/functions/orders-sync/configuration', { error: 'AccessDeniedException', status: 403, message: 'not authorized to perform: lambda:GetFunctionConfiguration' });
    const err = await lambdaConfigSource.collect(awsContext({ endpoint: fake.endpoint, target: { kind: 'lambda', functionName: 'orders-sync' }, params: {} })).catch((e: unknown) => e) as Error;
    expect(err.name).toBe('AccessDeniedException');
    expect(classifyFault(err).fault).toBe('denied');
    expect(fake.calls[0]!.query.has('Qualifier')).toBe(false);
  });
});
