import type { Runbook, RunbookStep } from './runbook-schema.js';
import { classifyFault, type Fault } from './classify-fault.js';
import { withRetry, type RetryOptions } from './with-retry.js';
import type { Target } from '../targets/target.js';
import type { Clients } from '../clients/clients.js';
import type { SourceRegistry } from '../sources/index.js';
import type { StepOutput } from '../sources/source.js';
import type { Evidence, SourceUnavailableEvidence } from '../diagnosis/evidence.js';
import { readArtifactContent } from '../artifacts/read-artifact.js';

export type StepStatus = 'ok' | 'failed' | 'skipped';

/** What happened to one step: for the CLI's --json, the Slack message and the benchmark. */
export interface StepReport {
  id: string;
  source: string;
  status: StepStatus;
  /** Wall time from the step's start (0 for a skipped step). */
  ms: number;
  /** Remote API calls made, failed attempts included. */
  calls: number;
  fault?: Fault;
  detail?: string;
}

export interface RunbookResult {
  /** Raw objects the parsers read, by unique file name, sorted: what --save-artifacts writes and `explain DIR/*` replays. */
  artifacts: Record<string, string>;
  /**
   * Raw objects no parser reads as evidence (e.g. the owning workload, kept for remediation) or that failed
   * to parse (also reported as source.unavailable `invalid`): saved, but not part of the replay.
   */
  unparsed: Record<string, string>;
  /** Each parsed artifact as `explain` lists its inputs. */
  inputs: { file: string; kind: string }[];
  /** Evidence parsed from the artifacts (by name order), then one source.unavailable per failed or skipped step. */
  evidence: Evidence[];
  steps: StepReport[];
}

export interface RunRunbookOptions {
  target: Target;
  clients: Clients;
  /** The registry steps are looked up in (tests pass fakes). */
  sources: SourceRegistry;
  /** config.window: minutes of logs before and after the exit. */
  window?: { beforeMinutes: number; afterMinutes: number };
  /** Progress: `running` when a step starts, then its final status with its report. Throwing here is ignored. */
  onStep?: (stepId: string, status: 'running' | StepStatus, report?: StepReport) => void;
  /** Backoff for throttled calls (base, cap, attempts; sleep and random injectable for tests). */
  retry?: Omit<RetryOptions, 'signal' | 'onAttempt' | 'onThrottled'>;
  now?: () => Date;
  /** The name evidence cites for an artifact (default `source:<source>/<name>`); --save-artifacts cites the saved path. */
  citeAs?: (name: string, step: RunbookStep) => string;
  /** Cancels every step (e.g. the process is shutting down). */
  signal?: AbortSignal;
}

interface Outcome {
  step: RunbookStep;
  report: StepReport;
  output?: StepOutput;
  /** For a failed or skipped step: the unavailable evidence minus its cite. */
  unavailable?: Omit<SourceUnavailableEvidence, 'cite' | 'subject' | 'kind'>;
}

const DEFAULT_WINDOW = { beforeMinutes: 30, afterMinutes: 5 };

/**
 * Runs a runbook: every step starts as soon as the steps it needs are done (so the total time is the
 * slowest path, not the sum), each under its own timeout whose AbortSignal the source passes to its
 * clients, throttling retried inside that timeout. A failed step becomes source.unavailable evidence
 * (timeout, denied, not_found, unreachable, throttled, invalid, error) saying what the verdict cannot
 * see; a step whose need failed is skipped and says why, unless the failed need is `optional`.
 * Never throws for a source's failure: the diagnosis goes on with what was seen.
 */
export async function runRunbook(runbook: Runbook, options: RunRunbookOptions): Promise<RunbookResult> {
  const byId = new Map(runbook.steps.map((s) => [s.id, s]));
  const started = new Map<string, Promise<Outcome>>();
  const notify = (id: string, status: 'running' | StepStatus, report?: StepReport): void => {
    try { options.onStep?.(id, status, report); } catch { /* progress is best effort */ }
  };

  const run = (step: RunbookStep): Promise<Outcome> => {
    let p = started.get(step.id);
    if (!p) {
      p = Promise.all(step.needs.map((id) => run(byId.get(id)!))).then((needs) => runStep(step, needs, options, notify));
      started.set(step.id, p);
    }
    return p;
  };
  const outcomes = await Promise.all(runbook.steps.map(run));
  return assemble(outcomes, options);
}

async function runStep(step: RunbookStep, needs: Outcome[], options: RunRunbookOptions, notify: (id: string, status: 'running' | StepStatus, report?: StepReport) => void): Promise<Outcome> {
  const source = options.sources[step.source];
  const reads = source?.reads ?? step.source;
  const blocking = needs.find((n) => n.report.status !== 'ok' && !n.step.optional);
  if (blocking) {
    const fault = blocking.report.fault ?? 'error';
    const detail = `not run: it needs step ${blocking.step.id} (${blocking.step.source}), which ${blocking.report.status === 'skipped' ? 'was skipped' : `failed (${fault})`}`;
    const report: StepReport = { id: step.id, source: step.source, status: 'skipped', ms: 0, calls: 0, fault, detail };
    notify(step.id, 'skipped', report);
    return { step, report, unavailable: { source: step.source, fault, detail, missing: reads } };
  }

  notify(step.id, 'running');
  const t0 = performance.now();
  const ac = new AbortController();
  const timeoutText = formatMs(step.timeoutMs);
  const timeoutReason = new DOMException(`no answer within ${timeoutText}`, 'TimeoutError');
  const timer = setTimeout(() => ac.abort(timeoutReason), step.timeoutMs);
  const onOuterAbort = (): void => ac.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();
  const aborted = new Promise<never>((_, reject) => {
    if (ac.signal.aborted) reject(ac.signal.reason);
    else ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true });
  });

  let attempts = 0;
  let lastThrottle: unknown;
  try {
    if (!source) throw Object.assign(new Error(`no source named ${step.source} is registered`), { fault: 'invalid' });
    const outputs: Record<string, StepOutput> = {};
    for (const n of needs) if (n.output) outputs[n.step.id] = n.output;
    const ctx = { target: options.target, params: step.params, needs: outputs, clients: options.clients, signal: ac.signal, window: windowOf(outputs, options) };
    const output = await Promise.race([
      withRetry(() => source.collect(ctx), { ...options.retry, signal: ac.signal, onAttempt: (n) => { attempts = n; }, onThrottled: (_n, err) => { lastThrottle = err; } }),
      aborted,
    ]);
    checkOutput(output, step.source);
    const report: StepReport = { id: step.id, source: step.source, status: 'ok', ms: Math.round(performance.now() - t0), calls: attempts - 1 + output.calls };
    notify(step.id, 'ok', report);
    return { step, report, output };
  } catch (err) {
    let { fault, detail } = classifyFault(err);
    if (ac.signal.reason === timeoutReason) {
      // Throttled until the timeout passed: the rate limit is the story, not the network.
      if (lastThrottle !== undefined) ({ fault, detail } = { fault: 'throttled', detail: `${classifyFault(lastThrottle).detail}; still throttled after ${attempts} attempts when the ${timeoutText} timeout passed` });
      else ({ fault, detail } = { fault: 'timeout', detail: timeoutReason.message });
    }
    // A failed attempt made at least one call; a source may say how many it made before failing.
    const errCalls = (err as { calls?: unknown } | null)?.calls;
    const calls = typeof errCalls === 'number' && attempts > 0 ? attempts - 1 + errCalls : attempts;
    const report: StepReport = { id: step.id, source: step.source, status: 'failed', ms: Math.round(performance.now() - t0), calls, fault, detail };
    notify(step.id, 'failed', report);
    return { step, report, unavailable: { source: step.source, fault, detail, missing: reads } };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** Artifacts get unique names (first step in runbook order keeps the plain name), are parsed, and sorted so `explain DIR/*` reads them in the same order. */
async function assemble(outcomes: Outcome[], options: RunRunbookOptions): Promise<RunbookResult> {
  const named: { name: string; content: string; step: RunbookStep }[] = [];
  const taken = new Set<string>();
  for (const o of outcomes) {
    for (const a of o.output?.artifacts ?? []) {
      if (a.content.trim() === '') continue;
      const plain = safeName(a.name);
      let name = taken.has(plain) ? `${o.step.id}-${plain}` : plain;
      for (let i = 2; taken.has(name); i++) name = `${o.step.id}-${plain}`.replace(/(\.[^.]*)?$/, `-${i}$1`);
      taken.add(name);
      named.push({ name, content: a.content, step: o.step });
    }
  }
  named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const citeAs = options.citeAs ?? ((name: string, step: RunbookStep) => `source:${step.source}/${name}`);
  const parsed = await Promise.all(named.map(async (a) => {
    const file = citeAs(a.name, a.step);
    try {
      return { ok: true as const, file, result: await readArtifactContent(file, a.content) };
    } catch (err) {
      return { ok: false as const, file, step: a.step, detail: classifyFault(err).detail, code: (err as { code?: unknown }).code };
    }
  }));

  const evidence: Evidence[] = [];
  const inputs: RunbookResult['inputs'] = [];
  const unavailable: SourceUnavailableEvidence[] = [];
  const artifacts: Record<string, string> = {};
  const unparsed: Record<string, string> = {};
  parsed.forEach((p, i) => {
    const a = named[i]!;
    if (p.ok) {
      artifacts[a.name] = a.content;
      inputs.push({ file: p.file, kind: p.result.kind });
      evidence.push(...p.result.evidence);
      return;
    }
    unparsed[a.name] = a.content;
    // Context for remediation, not evidence: nothing the verdict misses.
    if (p.code === 'why137_artifact_unrecognized') return;
    unavailable.push({ kind: 'source.unavailable', cite: { file: p.file, at: `step ${p.step.id}` }, subject: {}, source: p.step.source, fault: 'invalid', detail: p.detail, missing: options.sources[p.step.source]?.reads ?? p.step.source });
  });
  for (const o of outcomes) {
    if (o.unavailable) unavailable.push({ kind: 'source.unavailable', cite: { file: `source:${o.step.source}`, at: `step ${o.step.id}` }, subject: {}, ...o.unavailable });
  }
  return {
    artifacts,
    unparsed,
    inputs,
    evidence: [...evidence, ...unavailable],
    steps: outcomes.map((o) => o.report),
  };
}

/** The incident window: around the latest `finishedAt` a needed step found (the exit), else the minutes before now. */
function windowOf(needs: Record<string, StepOutput>, options: RunRunbookOptions): { since: Date; until: Date } {
  const { beforeMinutes, afterMinutes } = options.window ?? DEFAULT_WINDOW;
  const now = (options.now ?? (() => new Date()))().getTime();
  let exit: number | undefined;
  for (const out of Object.values(needs)) {
    const v = out.facts.finishedAt;
    const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (!Number.isNaN(t) && (exit === undefined || t > exit)) exit = t;
  }
  const anchor = exit ?? now;
  return { since: new Date(anchor - beforeMinutes * 60_000), until: new Date(Math.min(anchor + afterMinutes * 60_000, Math.max(now, anchor))) };
}

function checkOutput(output: unknown, source: string): asserts output is StepOutput {
  const o = output as Partial<StepOutput> | null;
  const ok = o !== null && typeof o === 'object' && Array.isArray(o.artifacts) && typeof o.calls === 'number' && typeof o.facts === 'object' && o.facts !== null
    && o.artifacts.every((a) => typeof a?.name === 'string' && typeof a.content === 'string');
  if (!ok) throw Object.assign(new Error(`${source} returned something other than { artifacts: [{ name, content }], facts, calls }`), { fault: 'invalid' });
}

/** Artifact names become file names under --save-artifacts: no directories, no dot-files. */
function safeName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._]+/, '');
  return clean === '' ? 'artifact.txt' : clean;
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
