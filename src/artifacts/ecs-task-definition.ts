import type { Evidence, LimitsEvidence, RuntimeEvidence, Subject } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import { runtimeSettings } from '../util/runtime-settings.js';
import type { StructuredParser } from './artifact-parser.js';
import { defined } from './defined.js';
import { ecsMemoryBytes } from './ecs-memory.js';
import { redactCommand } from './redact-command.js';

const EXPECTED = '`aws ecs describe-task-definition` output';

type Obj = Record<string, unknown>;

/**
 * `aws ecs describe-task-definition` output (`{taskDefinition, tags}`) or a bare task definition.
 * Environment values are read for the runtime settings (NODE_OPTIONS, JAVA_TOOL_OPTIONS, GOMEMLIMIT) and
 * never kept; `secrets` contribute names only.
 */
export const ecsTaskDefinition = {
  format: 'structured',
  kind: 'ecs.task-definition',
  expected: EXPECTED,
  detect(doc: unknown): boolean {
    if (!isObj(doc)) return false;
    const td = isObj(doc.taskDefinition) ? doc.taskDefinition : doc;
    return Array.isArray(td.containerDefinitions) || (doc !== td && ('taskDefinitionArn' in td || 'family' in td));
  },
  parse(doc: unknown, file: string): Evidence[] {
    const root = doc as Obj;
    const wrapped = isObj(root.taskDefinition);
    const td = wrapped ? root.taskDefinition as Obj : root;
    const base = wrapped ? 'taskDefinition' : '';
    if (!Array.isArray(td.containerDefinitions) || td.containerDefinitions.length === 0) {
      throw new ArtifactInvalidError(file, EXPECTED, `${join(base, 'containerDefinitions')} is missing or empty`);
    }
    const family = str(td.family);
    const revision = typeof td.revision === 'number' || typeof td.revision === 'string' ? String(td.revision) : undefined;
    const taskDefinition = family && revision ? `${family}:${revision}` : str(td.taskDefinitionArn)?.split('/').pop() ?? family;
    const launchType = launchTypeOf(td.requiresCompatibilities);
    const subject: Subject = defined({ platform: 'ecs' as const, taskDefinition });

    const out: Evidence[] = [];
    out.push(defined({
      kind: 'limits', cite: defined({ file, at: join(base, 'memory'), excerpt: td.memory === undefined ? 'memory not set' : `memory: ${String(td.memory)}` }),
      subject: { ...subject }, scope: 'task', memoryLimitBytes: ecsMemoryBytes(td.memory) ?? null, launchType, cpu: text(td.cpu),
    } satisfies LimitsEvidence));

    td.containerDefinitions.forEach((c, i) => {
      const cpath = join(base, `containerDefinitions[${i}]`);
      if (!isObj(c)) throw new ArtifactInvalidError(file, EXPECTED, `${cpath} is not an object`);
      const name = str(c.name);
      if (!name) throw new ArtifactInvalidError(file, EXPECTED, `${cpath} has no name`);
      const cs: Subject = { ...subject, containerName: name };
      const memory = c.memory ?? undefined;
      const reservation = c.memoryReservation ?? undefined;
      out.push(defined({
        kind: 'limits',
        cite: defined({ file, at: join(cpath, memory !== undefined ? 'memory' : reservation !== undefined ? 'memoryReservation' : 'name'), excerpt: limitExcerpt(memory, reservation) }),
        subject: { ...cs }, scope: 'container', memoryLimitBytes: ecsMemoryBytes(memory) ?? null,
        memoryReservationBytes: ecsMemoryBytes(reservation), launchType, cpu: text(c.cpu),
      } satisfies LimitsEvidence));

      const env = [
        ...list(c.environment).filter((e) => typeof e.name === 'string').map((e) => ({ name: e.name as string, value: typeof e.value === 'string' ? e.value : undefined })),
        // Secrets come from Secrets Manager / SSM at start-up: only their names are known, and only names are kept.
        ...list(c.secrets).filter((e) => typeof e.name === 'string').map((e) => ({ name: e.name as string })),
      ];
      const command = [...strings(c.entryPoint), ...strings(c.command)];
      const image = str(c.image);
      out.push(defined({
        kind: 'runtime', cite: { file, at: cpath }, subject: { ...cs },
        settings: runtimeSettings({ env, command, image }), image, command: command.length > 0 ? redactCommand(command, env) : undefined,
      } satisfies RuntimeEvidence));
    });
    return out;
  },
} satisfies StructuredParser;

function launchTypeOf(v: unknown): LimitsEvidence['launchType'] {
  const types = strings(v).map((s) => s.toUpperCase());
  // Only a single required compatibility says how it runs; ["EC2","FARGATE"] could be either.
  if (types.length !== 1) return undefined;
  const t = types[0];
  return t === 'FARGATE' || t === 'EC2' || t === 'EXTERNAL' ? t : undefined;
}

function limitExcerpt(memory: unknown, reservation: unknown): string | undefined {
  const parts = [memory !== undefined ? `memory: ${String(memory)}` : '', reservation !== undefined ? `memoryReservation: ${String(reservation)}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no memory or memoryReservation';
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
