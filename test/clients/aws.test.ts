import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createAwsClients } from '../../src/clients/aws.js';
import { configSchema, type Config } from '../../src/config/config-schema.js';
import { startAwsRecordedFake, type AwsRecordedFake, type RecordedCall } from '../fakes/aws-recorded.js';

const run = promisify(execFile);
const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'aws-client-probe.js');
const config = (aws: Record<string, unknown> = {}): Config => configSchema.parse({ aws });
const ENV_KEYS = { AWS_ACCESS_KEY_ID: 'AKIDFROMENV0000TEST', AWS_SECRET_ACCESS_KEY: 'testing' };

/** The access key and scope (`KEY/DATE/REGION/SERVICE`) a request was signed with. */
function credentialScope(call: RecordedCall): string {
  const auth = String(call.headers.authorization ?? '');
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(auth);
  return m ? `${m[1]} ${m[2]} ${m[3]}` : `unsigned: ${auth}`;
}

describe('createAwsClients in this process (nothing read from or written to process.env)', () => {
  test('region: the target’s, else aws.region', async () => {
    expect(await createAwsClients('eu-west-1', config({ region: 'us-east-1' }), ENV_KEYS).ecs.config.region()).toBe('eu-west-1');
    const clients = createAwsClients(undefined, config({ region: 'us-east-1' }), ENV_KEYS);
    expect(await Promise.all([clients.ecs.config.region(), clients.logs.config.region(), clients.lambda.config.region()])).toEqual(['us-east-1', 'us-east-1', 'us-east-1']);
  });

  test('static keys in the env passed in are the credentials when no profile is named', async () => {
    const clients = createAwsClients('us-east-1', config(), { ...ENV_KEYS, AWS_SESSION_TOKEN: 'session-token' });
    const identity = await clients.logs.config.credentials();
    expect(identity).toMatchObject({ accessKeyId: 'AKIDFROMENV0000TEST', secretAccessKey: 'testing', sessionToken: 'session-token' });
  });

  test('aws.profile goes to the SDK as its profile', () => {
    const clients = createAwsClients('us-east-1', config({ profile: 'why137-readonly' }), ENV_KEYS);
    expect((clients.ecs.config as { profile?: string }).profile).toBe('why137-readonly');
  });
});

describe('createAwsClients in a child process: the SDK’s standard endpoint and profile settings', () => {
  let ecsFake: AwsRecordedFake;
  let anyFake: AwsRecordedFake;
  let dir: string;
  beforeEach(async () => {
    ecsFake = (await startAwsRecordedFake()).reply('ListClusters', { json: { clusterArns: [] } });
    anyFake = (await startAwsRecordedFake())
      .reply('ListClusters', { json: { clusterArns: [] } })
      .reply('DescribeLogGroups', { json: { logGroups: [] } })
      .reply('GET /2015-03-31/functions', { json: { Functions: [] } });
    dir = await mkdtemp(path.join(tmpdir(), 'why137-aws-'));
  });
  afterEach(async () => {
    await Promise.all([ecsFake.stop(), anyFake.stop(), rm(dir, { recursive: true, force: true })]);
  });

  /** Runs the probe with exactly `env` (plus PATH), so nothing from this process's AWS settings leaks in. */
  async function probe(input: { region?: string; config?: unknown }, env: Record<string, string>): Promise<Record<string, string>> {
    const { stdout } = await run(process.execPath, [PROBE, JSON.stringify(input)], {
      env: {
        PATH: process.env.PATH ?? '', HOME: dir, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
        // No instance metadata lookups when a test leaves credentials out.
        AWS_EC2_METADATA_DISABLED: 'true', ...env,
      },
      timeout: 30_000,
    });
    return JSON.parse(stdout) as Record<string, string>;
  }

  test('AWS_ENDPOINT_URL_ECS in the env routes the ECS client to its endpoint; AWS_ENDPOINT_URL the others', async () => {
    const out = await probe({ config: { aws: { region: 'us-west-2' } } }, { ...ENV_KEYS, AWS_ENDPOINT_URL_ECS: ecsFake.endpoint, AWS_ENDPOINT_URL: anyFake.endpoint });
    expect(out).toEqual({ region: 'us-west-2', ecs: 'ok', logs: 'ok', lambda: 'ok' });
    expect(ecsFake.calls.map((c) => c.operation)).toEqual(['ListClusters']);
    expect(credentialScope(ecsFake.calls[0]!)).toBe('AKIDFROMENV0000TEST us-west-2 ecs');
    expect(anyFake.calls.map((c) => c.operation)).toEqual(['DescribeLogGroups', 'GET /2015-03-31/functions']);
    expect(anyFake.calls.map(credentialScope)).toEqual(['AKIDFROMENV0000TEST us-west-2 logs', 'AKIDFROMENV0000TEST us-west-2 lambda']);
    expect(String(ecsFake.calls[0]!.headers['user-agent'])).toContain('why137');
  });

  test('aws.profile: credentials and region come from that profile, not from keys in the environment', async () => {
    await writeFile(path.join(dir, 'config'), '[profile why137]\nregion = eu-central-1\n');
    await writeFile(path.join(dir, 'credentials'), '[why137]\naws_access_key_id = AKIDFROMPROFILE0TEST\naws_secret_access_key = testing\n');
    const out = await probe({ config: { aws: { profile: 'why137' } } }, { ...ENV_KEYS, AWS_ENDPOINT_URL: anyFake.endpoint });
    expect(out).toMatchObject({ region: 'eu-central-1', ecs: 'ok' });
    expect(credentialScope(anyFake.callsTo('ListClusters')[0]!)).toBe('AKIDFROMPROFILE0TEST eu-central-1 ecs');
  });

  test('the active profile’s endpoint_url and services section are honoured (AWS_PROFILE selects it)', async () => {
    await writeFile(path.join(dir, 'config'), [
      '[profile emulator]', 'region = ap-southeast-2', `endpoint_url = ${anyFake.endpoint}`, 'services = emulator', '',
      '[services emulator]', 'ecs =', `  endpoint_url = ${ecsFake.endpoint}`, '',
    ].join('\n'));
    await writeFile(path.join(dir, 'credentials'), '[emulator]\naws_access_key_id = AKIDFROMPROFILE0TEST\naws_secret_access_key = testing\n');
    const out = await probe({}, { AWS_PROFILE: 'emulator' });
    expect(out).toEqual({ region: 'ap-southeast-2', ecs: 'ok', logs: 'ok', lambda: 'ok' });
    expect(ecsFake.calls.map((c) => c.operation)).toEqual(['ListClusters']);
    expect(anyFake.calls.map(credentialScope)).toEqual(['AKIDFROMPROFILE0TEST ap-southeast-2 logs', 'AKIDFROMPROFILE0TEST ap-southeast-2 lambda']);
  });

  test('a target region beats the profile’s', async () => {
    await writeFile(path.join(dir, 'config'), '[profile why137]\nregion = eu-central-1\n');
    await writeFile(path.join(dir, 'credentials'), '[why137]\naws_access_key_id = AKIDFROMPROFILE0TEST\naws_secret_access_key = testing\n');
    const out = await probe({ region: 'sa-east-1', config: { aws: { profile: 'why137', region: 'eu-west-1' } } }, { AWS_ENDPOINT_URL: anyFake.endpoint });
    expect(out.region).toBe('sa-east-1');
    expect(credentialScope(anyFake.callsTo('ListClusters')[0]!)).toBe('AKIDFROMPROFILE0TEST sa-east-1 ecs');
  });
});
