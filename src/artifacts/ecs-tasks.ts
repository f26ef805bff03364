import type { ContainerStateEvidence, EcsTaskEvidence, Evidence, LimitsEvidence, Subject } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import type { StructuredParser } from './artifact-parser.js';
import { awsTime } from './aws-time.js';
import { defined } from './defined.js';
import { ecsMemoryBytes } from './ecs-memory.js';

const EXPECTED = '`aws ecs describe-tasks` output';
// ECS says a container was OOM-killed only through its reason text ("OutOfMemoryError: Container killed due to memory usage").
const OOM_REASON = /OutOfMemoryError/i;

type Obj = Record<string, unknown>;

/**
 * `aws ecs describe-tasks` (JSON or YAML, `{tasks, failures}`), a bare task object, or an EventBridge
 * "ECS Task State Change" event (how stopped tasks are kept past ECS's one hour).
 */
export const ecsTasks = {
  format: 'structured',
  kind: 'ecs.tasks',
  expected: EXPECTED,
  detect(doc: unknown): boolean {
    if (!isObj(doc)) return false;
    if (Array.isArray(doc.tasks)) return doc.tasks.length === 0 ? Array.isArray(doc.failures) : doc.tasks.some((t) => isObj(t) && ('taskArn' in t || 'containers' in t));
    if (doc['detail-type'] === 'ECS Task State Change' && isObj(doc.detail)) return true;
    return typeof doc.taskArn === 'string' && Array.isArray(doc.containers) && !('containerDefinitions' in doc);
  },
  parse(doc: unknown, file: string): Evidence[] {
    const root = doc as Obj;
    let tasks: [Obj, string][];
    if (Array.isArray(root.tasks)) {
      if (root.tasks.length === 0) {
        const failures = Array.isArray(root.failures) ? root.failures.filter(isObj).map((f) => `${lastSegment(str(f.arn)) ?? '?'}: ${str(f.reason) ?? 'unknown'}`) : [];
        throw new ArtifactInvalidError(file, EXPECTED, failures.length > 0
          ? `no task in it (failures: ${failures.slice(0, 3).join(', ')}); ECS forgets a stopped task about an hour after it stops`
          : 'its tasks list is empty');
      }
      tasks = root.tasks.map((t, i) => [t as Obj, `tasks[${i}]`]);
    } else if (root['detail-type'] === 'ECS Task State Change') {
      tasks = [[root.detail as Obj, 'detail']];
    } else {
      tasks = [[root, '']];
    }
    return tasks.flatMap(([task, path]) => parseTask(task, path, file));
  },
} satisfies StructuredParser;

function parseTask(task: Obj, path: string, file: string): Evidence[] {
  const where = path || 'the task';
  if (!isObj(task)) throw new ArtifactInvalidError(file, EXPECTED, `${where} is not an object`);
  const taskArn = str(task.taskArn);
  if (!taskArn) throw new ArtifactInvalidError(file, EXPECTED, `${where} has no taskArn`);
  if (!Array.isArray(task.containers)) throw new ArtifactInvalidError(file, EXPECTED, `${where} has no containers list`);

  const launchType = launchTypeOf(task);
  const subject: Subject = defined({
    platform: 'ecs' as const, taskArn, taskId: lastSegment(taskArn), cluster: lastSegment(str(task.clusterArn)),
    taskDefinition: lastSegment(str(task.taskDefinitionArn)),
  });
  const stoppedReason = str(task.stoppedReason);
  const out: Evidence[] = [];
  const taskEv: EcsTaskEvidence = defined({
    kind: 'ecs.task', cite: defined({ file, at: stoppedReason ? join(path, 'stoppedReason') : join(path, 'taskArn'), excerpt: stoppedReason }), subject: { ...subject },
    lastStatus: str(task.lastStatus), desiredStatus: str(task.desiredStatus), stopCode: str(task.stopCode), stoppedReason, launchType,
    taskDefinitionArn: str(task.taskDefinitionArn), group: str(task.group), startedBy: str(task.startedBy),
    createdAt: awsTime(task.createdAt), startedAt: awsTime(task.startedAt), stoppingAt: awsTime(task.stoppingAt), stoppedAt: awsTime(task.stoppedAt),
    healthStatus: str(task.healthStatus),
  });
  out.push(taskEv);
  const taskLimits: LimitsEvidence = defined({
    kind: 'limits', cite: { file, at: join(path, 'memory'), excerpt: task.memory === undefined ? 'memory not set' : `memory: ${String(task.memory)}` },
    subject: { ...subject }, scope: 'task', memoryLimitBytes: ecsMemoryBytes(task.memory) ?? null, launchType, cpu: text(task.cpu),
  });
  out.push(taskLimits);

  task.containers.forEach((c, i) => {
    const cpath = join(path, `containers[${i}]`);
    if (!isObj(c)) throw new ArtifactInvalidError(file, EXPECTED, `${cpath} is not an object`);
    const name = str(c.name);
    if (!name) throw new ArtifactInvalidError(file, EXPECTED, `${cpath} has no name`);
    const runtimeId = str(c.runtimeId);
    const cs: Subject = defined({ ...subject, containerName: name, runtimeId, containerId: runtimeId });
    const reason = str(c.reason);
    const exitCode = int(c.exitCode);
    const status = str(c.lastStatus);
    const state: ContainerStateEvidence = defined({
      kind: 'container.state',
      cite: defined({ file, at: reason ? join(cpath, 'reason') : exitCode !== undefined ? join(cpath, 'exitCode') : cpath, excerpt: reason }),
      subject: cs, status, exitCode, reason,
      // ECS gives no OOM flag: the reason is the only word. A stopped container without it was not reported OOM-killed.
      oomKilled: reason && OOM_REASON.test(reason) ? true : status === 'STOPPED' ? false : undefined,
      image: str(c.image), healthStatus: str(c.healthStatus),
    });
    out.push(state);
    if (c.memory !== undefined || c.memoryReservation !== undefined) {
      out.push(defined({
        kind: 'limits', cite: { file, at: join(cpath, c.memory !== undefined ? 'memory' : 'memoryReservation') }, subject: { ...cs },
        scope: 'container', memoryLimitBytes: ecsMemoryBytes(c.memory) ?? null, memoryReservationBytes: ecsMemoryBytes(c.memoryReservation),
        launchType, cpu: text(c.cpu),
      } satisfies LimitsEvidence));
    }
  });
  return out;
}

function launchTypeOf(task: Obj): LimitsEvidence['launchType'] {
  const lt = str(task.launchType)?.toUpperCase();
  if (lt === 'FARGATE' || lt === 'EC2' || lt === 'EXTERNAL') return lt;
  // Capacity-provider tasks may omit launchType; FARGATE and FARGATE_SPOT providers are Fargate.
  if (str(task.capacityProviderName)?.toUpperCase().startsWith('FARGATE')) return 'FARGATE';
  return undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function lastSegment(arn: string | undefined): string | undefined {
  return arn ? arn.split('/').pop() : undefined;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}
