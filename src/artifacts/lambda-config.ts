import type { Evidence, LambdaConfigEvidence, LimitsEvidence, RuntimeEvidence, Subject } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import { runtimeSettings } from '../util/runtime-settings.js';
import type { StructuredParser } from './artifact-parser.js';
import { awsTime } from './aws-time.js';
import { defined } from './defined.js';
import { redactCommand } from './redact-command.js';

const EXPECTED = '`aws lambda get-function-configuration` output';
// NOTE: Lambda's MemorySize is in MB that are MiB (128 → 134,217,728 bytes), as in its REPORT lines.
const MIB = 1024 * 1024;

type Obj = Record<string, unknown>;

/**
 * `aws lambda get-function-configuration` (JSON or YAML), `get-function` (`{Configuration, Code}`) or
 * `list-functions` (`{Functions: [...]}`). Environment values feed the runtime settings and are never kept;
 * get-function's presigned `Code.Location` is never read.
 */
export const lambdaConfig = {
  format: 'structured',
  kind: 'lambda.config',
  expected: EXPECTED,
  detect(doc: unknown): boolean {
    if (!isObj(doc)) return false;
    if (isObj(doc.Configuration)) return 'FunctionName' in doc.Configuration;
    if (Array.isArray(doc.Functions)) return doc.Functions.some((f) => isObj(f) && 'FunctionName' in f);
    return typeof doc.FunctionName === 'string' && ('FunctionArn' in doc || 'MemorySize' in doc || 'Runtime' in doc || 'Handler' in doc);
  },
  parse(doc: unknown, file: string): Evidence[] {
    const root = doc as Obj;
    const configs: [unknown, string][] = isObj(root.Configuration) ? [[root.Configuration, 'Configuration']]
      : Array.isArray(root.Functions) ? root.Functions.map((f, i) => [f, `Functions[${i}]`])
      : [[root, '']];
    return configs.flatMap(([c, path]) => parseConfig(c, path, file));
  },
} satisfies StructuredParser;

function parseConfig(c: unknown, path: string, file: string): Evidence[] {
  const where = path || 'the configuration';
  if (!isObj(c)) throw new ArtifactInvalidError(file, EXPECTED, `${where} is not an object`);
  const functionName = str(c.FunctionName);
  if (!functionName) throw new ArtifactInvalidError(file, EXPECTED, `${where} has no FunctionName`);
  const memorySizeMb = typeof c.MemorySize === 'number' && c.MemorySize > 0 ? c.MemorySize : undefined;
  if (memorySizeMb === undefined) throw new ArtifactInvalidError(file, EXPECTED, `${join(path, 'MemorySize')} is missing or not a positive number`);
  const subject: Subject = { platform: 'lambda', functionName };
  const runtime = str(c.Runtime);

  const config: LambdaConfigEvidence = defined({
    kind: 'lambda.config', cite: { file, at: join(path, 'MemorySize'), excerpt: `MemorySize: ${memorySizeMb}` }, subject: { ...subject },
    functionName, functionArn: str(c.FunctionArn), memorySizeMb, runtime,
    timeoutSeconds: typeof c.Timeout === 'number' ? c.Timeout : undefined,
    architectures: Array.isArray(c.Architectures) ? c.Architectures.filter((a): a is string => typeof a === 'string') : undefined,
    revisionId: str(c.RevisionId), lastModified: awsTime(c.LastModified) ?? str(c.LastModified), packageType: str(c.PackageType),
  });
  const limits: LimitsEvidence = {
    kind: 'limits', cite: { file, at: join(path, 'MemorySize'), excerpt: `MemorySize: ${memorySizeMb}` }, subject: { ...subject },
    scope: 'function', memoryLimitBytes: memorySizeMb * MIB,
  };
  const vars = isObj(c.Environment) && isObj(c.Environment.Variables) ? c.Environment.Variables : {};
  const env = Object.entries(vars).map(([name, value]) => ({ name, value: typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value) }));
  const imageConfig = isObj(c.ImageConfigResponse) && isObj(c.ImageConfigResponse.ImageConfig) ? c.ImageConfigResponse.ImageConfig : {};
  const command = [...strings(imageConfig.EntryPoint), ...strings(imageConfig.Command)];
  const rt: RuntimeEvidence = defined({
    kind: 'runtime', cite: { file, at: join(path, isObj(c.Environment) ? 'Environment.Variables' : 'Runtime') }, subject: { ...subject },
    settings: runtimeSettings({ env, command, lambdaRuntime: runtime }),
    command: command.length > 0 ? redactCommand(command, env) : undefined,
  });
  return [config, limits, rt];
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
