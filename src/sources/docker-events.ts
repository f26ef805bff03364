import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { CollectContext, Source, StepOutput } from './source.js';
import { dockerTarget } from './docker/docker-target.js';

const params = z.object({}).strict();

// Container actions that say how a run ended or began; exec/health/attach noise is left on the engine.
const ACTIONS = ['oom', 'kill', 'die', 'stop', 'start', 'restart'];
// Around the run: `start` follows State.StartedAt by milliseconds and `kill`(15) precedes the exit by the stop
// timeout (10 s by default, up to minutes for a custom `docker stop -t`); a minute each side covers both.
const MARGIN_MS = 60_000;

/**
 * The engine's events for the target container around its last run (GET /events with since/until and
 * container/type/event filters), saved one JSON object per line exactly as the engine streamed them
 * (`docker events --format '{{json .}}'`). Needs the docker.inspect step for the id and times.
 *
 * NOTE: dockerd keeps only its most recent events in memory (a ring of 256 in daemon/events, lost on restart),
 * and `since` replays from that buffer: on a busy host an exit more than a few hundred events ago is gone.
 * No events is then a gap in what was seen, not proof nothing happened.
 */
export const dockerEventsSource: Source<z.infer<typeof params>> = {
  name: 'docker.events',
  reads: 'the Docker engine’s recent events for the container (oom, kill, die, stop, start, restart)',
  params,
  async collect(ctx) {
    const { host } = dockerTarget(ctx.target);
    const run = inspectFacts(ctx);
    const { since, until } = windowOf(run, ctx);
    const docker = ctx.clients.docker(host);
    const stream = await docker.getEvents({
      since: Math.floor(since / 1000),
      until: Math.ceil(until / 1000),
      filters: { container: [run.containerId], type: ['container'], event: ACTIONS },
      abortSignal: ctx.signal,
    } as Parameters<typeof docker.getEvents>[0]);
    const lines = await eventLines(stream as unknown as Readable, run.containerId, ctx.signal);
    const out: StepOutput = {
      artifacts: lines.length > 0 ? [{ name: 'docker-events.jsonl', content: `${lines.join('\n')}\n` }] : [],
      facts: { events: lines.length, since: new Date(since).toISOString(), until: new Date(until).toISOString() },
      calls: 1,
    };
    return out;
  },
};

interface RunFacts { containerId: string; startedAt?: string; finishedAt?: string }

/** The container id and run times the docker.inspect step found (whichever needed step carries them). */
function inspectFacts(ctx: CollectContext<unknown>): RunFacts {
  for (const step of Object.values(ctx.needs)) {
    const f = step.facts;
    if (typeof f.containerId === 'string' && f.containerId !== '') {
      return {
        containerId: f.containerId,
        ...(typeof f.startedAt === 'string' ? { startedAt: f.startedAt } : {}),
        ...(typeof f.finishedAt === 'string' ? { finishedAt: f.finishedAt } : {}),
      };
    }
  }
  throw new Error('docker.events needs the docker.inspect step (for the container id and run times): add `needs: [<its id>]` to the runbook step');
}

/**
 * [startedAt − margin, finishedAt + margin] of the last run, never past now (the engine would wait for it).
 * NOTE: `now` is this machine's clock and the times are the engine's; a remote engine whose clock runs ahead
 * by more than MARGIN_MS can lose its last events to the clamp (keep hosts on NTP).
 * A restarted container (finishedAt before startedAt) is judged on its previous exit: from the incident
 * window's start, through the restart.
 */
function windowOf(run: RunFacts, ctx: CollectContext<unknown>): { since: number; until: number } {
  const now = Date.now();
  const started = parse(run.startedAt);
  const finished = parse(run.finishedAt);
  let since: number;
  let until: number;
  if (finished !== undefined && (started === undefined || finished >= started)) {
    since = (started ?? ctx.window.since.getTime()) - MARGIN_MS;
    until = finished + MARGIN_MS;
  } else if (finished !== undefined && started !== undefined) {
    since = Math.min(ctx.window.since.getTime(), finished - MARGIN_MS);
    until = started + MARGIN_MS;
  } else {
    since = (started ?? ctx.window.since.getTime()) - MARGIN_MS;
    until = now;
  }
  return { since, until: Math.min(until, now) };
}

/** The streamed events, one raw JSON object per line (timeNano has more digits than a double keeps, so lines are not re-serialised). */
async function eventLines(stream: Readable, containerId: string, signal: AbortSignal): Promise<string[]> {
  const lines: string[] = [];
  let pending = '';
  const take = (line: string): void => {
    const l = line.trim();
    if (l === '') return;
    let doc: unknown;
    try { doc = JSON.parse(l); } catch { throw new Error(`Docker engine streamed an event that is not JSON: ${l.slice(0, 80)}`); }
    const d = doc as { Type?: unknown; Actor?: { ID?: unknown }; id?: unknown };
    const id = typeof d.Actor?.ID === 'string' ? d.Actor.ID : d.id;
    // The engine applied the filters already; an event of another container means an engine ignoring them.
    if (d.Type === 'container' && id === containerId) lines.push(l);
  };
  // Decode as a stream, so a multi-byte character split across chunks (a label value) stays whole.
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream) {
      signal.throwIfAborted();
      pending += chunk as string;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const p of parts) take(p);
    }
  } finally {
    stream.destroy?.();
  }
  signal.throwIfAborted();
  take(pending);
  return lines;
}

function parse(t: string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
