import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lambdaConfig } from '../../src/artifacts/lambda-config.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const MIB = 1024 * 1024;

describe('lambda.config through readArtifact', () => {
  const cases = [
    {
      fixture: 'config-node18-512.json', at: 'MemorySize',
      config: { functionName: 'orders-sync', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-sync', memorySizeMb: 512, runtime: 'nodejs18.x', timeoutSeconds: 30, architectures: ['arm64'], revisionId: 'b1f2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', lastModified: '2024-04-30T09:12:45.000Z', packageType: 'Zip' },
      settings: { runtime: 'node', runtimeVersion: 18, envNames: ['TABLE_NAME', 'ERP_API_TOKEN', 'LOG_LEVEL'] },
      secrets: ['erp_live_7Hq2Lm9Xv4Rz8Kp1', 'orders-prod'],
    },
    {
      fixture: 'config-java-1024.yaml', at: 'Configuration.MemorySize',
      config: { functionName: 'statement-renderer', memorySizeMb: 1024, runtime: 'java17', timeoutSeconds: 120, architectures: ['x86_64'], lastModified: '2024-04-18T16:40:02.551Z' },
      settings: { runtime: 'jvm', runtimeVersion: 17, jvmXmxBytes: 900 * MIB, envNames: ['DB_PASSWORD', 'DB_URL', 'JAVA_TOOL_OPTIONS'] },
      secrets: ['Zq8#rT4!statements-prod', 'statements.cluster-c9d8e7f6a5b4', 'X-Amz-Signature', 'EXAMPLETOKEN', 'TieredStopAtLevel'],
    },
  ];

  test.each(cases)('$fixture', async ({ fixture, at, config, settings, secrets }) => {
    const file = fixturePath('lambda', fixture);
    const result = await readArtifact(file);
    expect(result.kind).toBe('lambda.config');
    const subject = { platform: 'lambda', functionName: config.functionName };
    expect(ofKind(result.evidence, 'lambda.config')).toEqual([expect.objectContaining({ ...config, subject, cite: { file, at, excerpt: `MemorySize: ${config.memorySizeMb}` } })]);
    expect(ofKind(result.evidence, 'limits')).toEqual([expect.objectContaining({ scope: 'function', memoryLimitBytes: config.memorySizeMb * MIB, subject })]);
    expect(ofKind(result.evidence, 'runtime')[0]!.settings).toMatchObject(settings);
    const text = JSON.stringify(result.evidence);
    for (const s of secrets) expect(text).not.toContain(s);
  });
});

describe('lambda.config parser', () => {
  test('list-functions output gives one config per function', () => {
    const one = JSON.parse(readFileSync(fixturePath('lambda', 'config-node18-512.json'), 'utf8'));
    const doc = { Functions: [one, { ...one, FunctionName: 'orders-backfill', MemorySize: 2048, Environment: undefined }] };
    expect(lambdaConfig.detect(doc)).toBe(true);
    const ev = lambdaConfig.parse(doc, 'list.json');
    expect(ofKind(ev, 'limits').map((l) => [l.subject.functionName, l.memoryLimitBytes, l.cite.at])).toEqual([
      ['orders-sync', 512 * MIB, 'Functions[0].MemorySize'], ['orders-backfill', 2048 * MIB, 'Functions[1].MemorySize'],
    ]);
  });

  test('a container-image function: the image command is kept, env values in it redacted', () => {
    const doc = {
      FunctionName: 'img-fn', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:img-fn', MemorySize: 3008, PackageType: 'Image',
      ImageConfigResponse: { ImageConfig: { EntryPoint: ['/lambda-entrypoint.sh'], Command: ['app.handler', '--password=pa55w0rd-xyz'] } },
      Environment: { Variables: { GOMEMLIMIT: '2800MiB', SIGNING_KEY: 'k3y-material-abc' } },
    };
    const [rt] = ofKind(lambdaConfig.parse(doc, 'img.json'), 'runtime');
    expect(rt!.settings).toMatchObject({ runtime: 'go', goMemLimitBytes: 2800 * MIB });
    expect(rt!.command).toEqual(['/lambda-entrypoint.sh', 'app.handler', '--password=***']);
    expect(JSON.stringify(rt)).not.toContain('k3y-material-abc');
  });

  test('detects only Lambda configurations', () => {
    for (const doc of [{ FunctionName: 'x' }, { tasks: [] }, { results: [] }, { Configuration: { Handler: 'x' } }, null]) expect(lambdaConfig.detect(doc)).toBe(false);
  });
});

describe('lambda.config bad input, through readArtifact', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-lcfg-'));
  const good = readFileSync(fixturePath('lambda', 'config-node18-512.json'), 'utf8');
  const cases: [string, string, string | Buffer][] = [
    ['empty.json', 'why137_artifact_empty', '\n'],
    ['binary.json', 'why137_artifact_binary', Buffer.concat([Buffer.from(good.slice(0, 100)), Buffer.alloc(100, 0)])],
    ['truncated.json', 'why137_artifact_malformed', good.slice(0, 400)],
    ['no-memory.json', 'why137_artifact_invalid', JSON.stringify({ FunctionName: 'f', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', MemorySize: 'lots' })],
    ['no-name.yaml', 'why137_artifact_invalid', 'Configuration:\n  FunctionName: ""\n  MemorySize: 128\n'],
  ];
  test.each(cases)('%s → %s', async (name, code, content) => {
    expect((await artifactFailure(dir, name, content)).code).toBe(code);
  });
});
