// Docker prints this for a time that never happened (a container not yet started or finished).
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Facts the docker.inspect step hands on (StepOutput.facts). docker.events reads containerId, startedAt and
 * finishedAt for its window; the kernel log reads dockerHost; the engine reads startedAt/finishedAt for the
 * incident window and containerIds for kernel-log correlation.
 */
export interface DockerContainerFacts {
  containerId: string;
  containerIds: string[];
  name?: string;
  startedAt?: string;
  finishedAt?: string;
  status?: string;
  exitCode?: number;
  oomKilled?: boolean;
  /** Host PID of the container's main process while it runs (0 once it stopped: then absent). */
  pid?: number;
  /** The container's own hostname (Config.Hostname). */
  hostname?: string;
  /** The docker.hosts name the engine was reached by (absent for DOCKER_HOST / the local socket). */
  dockerHost?: string;
  /** dockershim / cri-dockerd labels. */
  podUid?: string;
  podName?: string;
  podNamespace?: string;
  /** ECS agent labels. */
  taskArn?: string;
  ecsCluster?: string;
  ecsContainerName?: string;
}

const LABELS = {
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  taskArn: 'com.amazonaws.ecs.task-arn',
  ecsCluster: 'com.amazonaws.ecs.cluster',
  ecsContainerName: 'com.amazonaws.ecs.container-name',
} as const;

/** The facts of one engine-API container object (GET /containers/{id}/json). */
export function dockerContainerFacts(c: Record<string, unknown>): DockerContainerFacts {
  const state = obj(c.State);
  const config = obj(c.Config);
  const labels = obj(config.Labels);
  const id = typeof c.Id === 'string' ? c.Id : '';
  const facts: DockerContainerFacts = { containerId: id, containerIds: id ? [id] : [] };
  if (typeof c.Name === 'string') facts.name = c.Name.replace(/^\//, '');
  const started = time(state.StartedAt);
  if (started) facts.startedAt = started;
  const finished = time(state.FinishedAt);
  if (finished) facts.finishedAt = finished;
  if (typeof state.Status === 'string') facts.status = state.Status;
  if (typeof state.ExitCode === 'number') facts.exitCode = state.ExitCode;
  if (typeof state.OOMKilled === 'boolean') facts.oomKilled = state.OOMKilled;
  if (typeof state.Pid === 'number' && state.Pid > 0) facts.pid = state.Pid;
  if (typeof config.Hostname === 'string' && config.Hostname !== '') facts.hostname = config.Hostname;
  for (const [fact, label] of Object.entries(LABELS) as [keyof typeof LABELS, string][]) {
    const v = labels[label];
    if (typeof v === 'string' && v !== '') facts[fact] = v;
  }
  return facts;
}

function time(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v !== ZERO_TIME ? v : undefined;
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
