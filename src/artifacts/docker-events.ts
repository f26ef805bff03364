import type { DockerEventEvidence, Evidence, Subject } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import type { TextParser } from './artifact-parser.js';

const EXPECTED = '`docker events` output (text or --format json)';

// `2026-11-23T13:38:09.929653202Z container kill <id> (image=..., name=..., signal=9)`; the action may hold
// spaces (`exec_start: sh -c ...`, `health_status: unhealthy`), so the id is the last word before the attributes.
const TEXT_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (container|image|network|volume|daemon|plugin|service|node|secret|config|builder) (.+?) (\S+)(?: \((.*)\))?$/;
const TYPES = new Set(['container', 'image', 'network', 'volume', 'daemon', 'plugin', 'service', 'node', 'secret', 'config', 'builder']);
// Actions that say nothing about why a container stopped; a busy host prints thousands (health-check execs).
const IGNORED = /^(exec_create|exec_start|exec_die|exec_detach|attach|detach|resize|top|archive-path|extract-to-dir|export|copy|commit)\b/;

/** `docker events` (text or `--format '{{json .}}'`): one `docker.event` per container event, streamed. */
export const dockerEvents = {
  format: 'text',
  kind: 'docker.events',
  expected: EXPECTED,
  detect(head: string): boolean {
    let seen = 0;
    let events = 0;
    for (const line of head.split('\n', 50)) {
      const l = line.trim();
      if (l === '') continue;
      seen++;
      if (TEXT_LINE.test(l) || isJsonEvent(l)) events++;
    }
    return events > 0 && events * 2 >= seen;
  },
  async parse(lines: AsyncIterable<string>, file: string): Promise<Evidence[]> {
    const out: Evidence[] = [];
    let n = 0;
    for await (const raw of lines) {
      n++;
      const line = raw.trim();
      if (line === '') continue;
      const e = line.startsWith('{') ? fromJson(line, n, file) : fromText(line, n, file);
      if (e) out.push(e);
    }
    return out;
  },
} satisfies TextParser;

function fromText(line: string, n: number, file: string): DockerEventEvidence | null {
  const m = TEXT_LINE.exec(line);
  if (!m) throw new ArtifactInvalidError(file, EXPECTED, `line ${n} is not a docker event (${line.slice(0, 60)})`);
  const [, time, type, action, id, attrs] = m as unknown as [string, string, string, string, string, string | undefined];
  // A container event always names the full hex id; anything else is a mangled line, not an odd action.
  if (type === 'container' && !/^[0-9a-f]{12,64}$/.test(id)) throw new ArtifactInvalidError(file, EXPECTED, `line ${n} is not a docker event (${line.slice(0, 60)})`);
  if (type !== 'container' || IGNORED.test(action)) return null;
  return evidence(file, n, action, id, parseAttributes(attrs ?? ''), utc(time));
}

function fromJson(line: string, n: number, file: string): DockerEventEvidence | null {
  let doc: unknown;
  try { doc = JSON.parse(line); } catch {
    throw new ArtifactInvalidError(file, EXPECTED, `line ${n} is not valid JSON (truncated?)`);
  }
  if (!isEvent(doc)) throw new ArtifactInvalidError(file, EXPECTED, `line ${n} is JSON but not a docker event (no Type/Action/Actor)`);
  const type = doc.Type;
  const action = doc.Action;
  if (type !== 'container' || IGNORED.test(action)) return null;
  const actor = isObj(doc.Actor) ? doc.Actor : {};
  const id = typeof actor.ID === 'string' ? actor.ID : typeof doc.id === 'string' ? doc.id : '';
  const attrs: Record<string, string> = {};
  if (isObj(actor.Attributes)) for (const [k, v] of Object.entries(actor.Attributes)) if (typeof v === 'string') attrs[k] = v;
  return evidence(file, n, action, id, attrs, timeOf(doc, line));
}

function evidence(file: string, n: number, action: string, id: string, attrs: Record<string, string>, time: string | undefined): DockerEventEvidence {
  const e: DockerEventEvidence = {
    kind: 'docker.event',
    cite: { file, at: `line ${n}`, excerpt: excerpt(action, id, attrs) },
    subject: subjectOf(id, attrs),
    action,
  };
  const signal = attrs.signal !== undefined ? Number(attrs.signal) : NaN;
  if (Number.isInteger(signal)) e.signal = signal;
  const exitCode = attrs.exitCode !== undefined ? Number(attrs.exitCode) : NaN;
  if (Number.isInteger(exitCode)) e.exitCode = exitCode;
  if (time) e.time = time;
  return e;
}

/** Attributes are the container's labels too: only the ones that say what happened or who it is are cited. */
function excerpt(action: string, id: string, attrs: Record<string, string>): string {
  const keep = ['name', 'signal', 'exitCode'].filter((k) => attrs[k] !== undefined).map((k) => `${k}=${attrs[k]}`);
  return `container ${action} ${id.slice(0, 12)}${keep.length ? ` (${keep.join(', ')})` : ''}`;
}

function subjectOf(id: string, attrs: Record<string, string>): Subject {
  const s: Subject = { platform: 'docker' };
  if (id) s.containerId = id;
  if (attrs.name) s.containerName = attrs.name.replace(/^\//, '');
  // Docker copies the container's labels into the event attributes (dockershim, ECS agent).
  if (attrs['io.kubernetes.pod.uid']) s.podUid = attrs['io.kubernetes.pod.uid'];
  if (attrs['io.kubernetes.pod.name']) s.pod = attrs['io.kubernetes.pod.name'];
  if (attrs['io.kubernetes.pod.namespace']) s.namespace = attrs['io.kubernetes.pod.namespace'];
  if (attrs['io.kubernetes.container.name']) s.containerName = attrs['io.kubernetes.container.name'];
  const taskArn = attrs['com.amazonaws.ecs.task-arn'];
  if (taskArn) { s.taskArn = taskArn; s.taskId = taskArn.split('/').pop()!; if (id) s.runtimeId = id; }
  const cluster = attrs['com.amazonaws.ecs.cluster'];
  if (cluster) s.cluster = cluster.includes(':cluster/') ? cluster.slice(cluster.indexOf(':cluster/') + 9) : cluster;
  if (attrs['com.amazonaws.ecs.container-name']) s.containerName = attrs['com.amazonaws.ecs.container-name'];
  return s;
}

/** `key=value, key=value`; a value may itself hold `, ` (labels), so split only before the next `key=`. */
function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(/, (?=[\w.\-/]+=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** The CLI prints RFC3339Nano in the local zone; evidence times are UTC with the printed precision. */
function utc(time: string): string {
  if (time.endsWith('Z')) return time;
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?([+-]\d\d):?(\d\d)$/.exec(time);
  if (!m) return time;
  const ms = Date.parse(`${m[1]}${m[3]}:${m[4]}`);
  if (Number.isNaN(ms)) return time;
  return `${new Date(ms).toISOString().slice(0, 19)}${m[2] ?? ''}Z`;
}

function timeOf(doc: Record<string, unknown>, line: string): string | undefined {
  // NOTE: timeNano (~1.8e18) is beyond 2^53, so JSON.parse rounds it; read its digits from the raw line.
  const nano = /"timeNano":\s*"?(\d{10,})/.exec(line)?.[1];
  if (nano) return `${new Date(Number(nano.slice(0, -9)) * 1000).toISOString().slice(0, 19)}.${nano.slice(-9)}Z`;
  if (typeof doc.time === 'number') return new Date(doc.time * 1000).toISOString().replace('.000Z', 'Z');
  return undefined;
}

function isJsonEvent(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try { return isEvent(JSON.parse(line)); } catch { return false; }
}

function isEvent(doc: unknown): doc is { Type: string; Action: string; Actor?: unknown; id?: unknown; time?: unknown; timeNano?: unknown } & Record<string, unknown> {
  return isObj(doc) && typeof doc.Type === 'string' && TYPES.has(doc.Type) && typeof doc.Action === 'string' && isObj(doc.Actor);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
