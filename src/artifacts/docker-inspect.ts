import type { Evidence, Subject } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import { runtimeSettings } from '../util/runtime-settings.js';
import type { StructuredParser } from './artifact-parser.js';
import { defined } from './defined.js';
import { redactCommand } from './redact-command.js';

type Obj = Record<string, unknown>;

const EXPECTED = '`docker inspect` output (a container, or a list of them)';
// Docker prints this for a container that never started/finished.
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * `docker inspect` / `docker container inspect` (a JSON array) or the engine API's
 * `GET /containers/{id}/json` (one object): the container's state, limits and runtime settings.
 */
export const dockerInspect = {
  format: 'structured',
  kind: 'docker.inspect',
  expected: EXPECTED,
  detect(doc: unknown): boolean {
    if (Array.isArray(doc)) return doc.length > 0 && doc.every((d) => isObj(d) && typeof d.Id === 'string') && doc.some(looksLikeContainer);
    return looksLikeContainer(doc);
  },
  parse(doc: unknown, file: string): Evidence[] {
    const list = Array.isArray(doc) ? doc : [doc];
    return list.flatMap((c, i) => container(c, Array.isArray(doc) ? `[${i}].` : '', file));
  },
} satisfies StructuredParser;

/** A container object: an Id and the engine's State/HostConfig, but not an image (RepoTags, RootFS). */
function looksLikeContainer(d: unknown): d is Obj {
  if (!isObj(d) || typeof d.Id !== 'string' || 'RootFS' in d || 'RepoTags' in d) return false;
  const hasState = isObj(d.State) || (d.State === undefined && isObj(d.HostConfig));
  return hasState && (isObj(d.HostConfig) || isObj(d.Config));
}

function container(c: unknown, prefix: string, file: string): Evidence[] {
  const at = (p: string) => `${prefix}${p}`;
  if (!looksLikeContainer(c)) throw new ArtifactInvalidError(file, EXPECTED, `${prefix ? prefix.slice(0, -1) : 'the document'} is not a container (no Id, State or HostConfig)`);
  const state = c.State;
  if (!isObj(state)) throw new ArtifactInvalidError(file, EXPECTED, `${at('State')} is missing`);
  if (typeof state.ExitCode !== 'number' && typeof state.Status !== 'string') {
    throw new ArtifactInvalidError(file, EXPECTED, `${at('State')} has neither ExitCode nor Status`);
  }
  const config = isObj(c.Config) ? c.Config : {};
  const host = isObj(c.HostConfig) ? c.HostConfig : undefined;
  const subject = subjectOf(c, config, state);
  const image = str(config.Image) ?? str(c.Image);
  const out: Evidence[] = [];

  const exitCode = num(state.ExitCode);
  const oomKilled = typeof state.OOMKilled === 'boolean' ? state.OOMKilled : undefined;
  out.push(defined({
    kind: 'container.state' as const,
    cite: { file, at: at('State'), excerpt: [`Status ${String(state.Status)}`, exitCode !== undefined ? `ExitCode ${exitCode}` : '', oomKilled !== undefined ? `OOMKilled ${oomKilled}` : ''].filter(Boolean).join(', ') },
    subject,
    status: str(state.Status),
    exitCode,
    oomKilled,
    startedAt: time(state.StartedAt),
    finishedAt: time(state.FinishedAt),
    restartCount: num(c.RestartCount),
    message: str(state.Error) || undefined,
    image,
  }));

  if (host) {
    const memory = num(host.Memory) ?? 0;
    const reservation = num(host.MemoryReservation) ?? 0;
    const swap = num(host.MemorySwap) ?? 0;
    const nano = num(host.NanoCpus) ?? 0;
    out.push(defined({
      kind: 'limits' as const,
      cite: { file, at: at('HostConfig.Memory'), excerpt: `Memory ${memory}, MemoryReservation ${reservation}, MemorySwap ${swap}` },
      subject,
      scope: 'container' as const,
      // NOTE: Docker stores "no limit" as 0; MemorySwap -1 means unlimited swap, 0 means unset.
      memoryLimitBytes: memory > 0 ? memory : null,
      memoryReservationBytes: reservation > 0 ? reservation : undefined,
      memorySwapBytes: swap > 0 ? swap : undefined,
      cpu: nano > 0 ? String(nano / 1e9) : undefined,
    }));
  }

  const env = Array.isArray(config.Env) ? config.Env.filter((e): e is string => typeof e === 'string').map(splitEnv) : [];
  const command = [...strings(config.Entrypoint), ...strings(config.Cmd)];
  out.push(defined({
    kind: 'runtime' as const,
    cite: { file, at: at('Config') },
    subject,
    settings: runtimeSettings({ env, command, image }),
    image,
    command: command.length > 0 ? safeCommand(command, env) : undefined,
  }));
  return out;
}

function subjectOf(c: Obj, config: Obj, state: Obj): Subject {
  const labels = isObj(config.Labels) ? config.Labels : {};
  const label = (k: string) => str(labels[k]);
  const s: Subject = { platform: 'docker', containerId: c.Id as string };
  const name = str(c.Name)?.replace(/^\//, '');
  if (name) s.containerName = name;
  const pid = num(state.Pid);
  if (pid !== undefined && pid > 0) s.pid = pid;
  // Orchestrator labels (dockershim / cri-dockerd, ECS agent): the orchestrator's container name is the one
  // pod and task evidence carries, so it replaces the generated Docker name.
  const podUid = label('io.kubernetes.pod.uid');
  if (podUid) s.podUid = podUid;
  const pod = label('io.kubernetes.pod.name');
  if (pod) s.pod = pod;
  const ns = label('io.kubernetes.pod.namespace');
  if (ns) s.namespace = ns;
  const k8sName = label('io.kubernetes.container.name');
  if (k8sName) s.containerName = k8sName;
  const taskArn = label('com.amazonaws.ecs.task-arn');
  if (taskArn) {
    s.taskArn = taskArn;
    s.taskId = taskArn.split('/').pop()!;
    s.runtimeId = c.Id as string;
  }
  const cluster = label('com.amazonaws.ecs.cluster');
  if (cluster) s.cluster = cluster.includes(':cluster/') ? cluster.slice(cluster.indexOf(':cluster/') + 9) : cluster;
  const ecsName = label('com.amazonaws.ecs.container-name');
  if (ecsName) s.containerName = ecsName;
  return s;
}

function splitEnv(e: string): { name: string; value?: string } {
  const eq = e.indexOf('=');
  return eq < 0 ? { name: e } : { name: e.slice(0, eq), value: e.slice(eq + 1) };
}

// Docker keeps a flag and its value as separate Cmd elements (`--password`, `hunter2`); redactCommand sees one at a time.
const SECRET_FLAG = /^-{1,2}[\w.-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential)[\w.-]*$/i;

/** The command safe to show: env values copied into it, inline `--token=x`, and the value after a bare secret flag are masked. */
function safeCommand(command: string[], env: { name: string; value?: string }[]): string[] {
  return redactCommand(command, env).map((arg, i) => (i > 0 && SECRET_FLAG.test(command[i - 1]!) ? '***' : arg));
}

function time(v: unknown): string | undefined {
  const s = str(v);
  return s && s !== ZERO_TIME ? s : undefined;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
