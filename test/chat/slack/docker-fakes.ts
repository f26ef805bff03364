import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Source, StepOutput } from '../../../src/sources/source.js';
import { sources as realSources, type SourceRegistry } from '../../../src/sources/index.js';
import type { Executor, Snapshot } from '../../../src/remediation/execute/executor.js';
import type { Edit } from '../../../src/remediation/edit.js';
import { reviseDocker } from '../../../src/remediation/execute/revise-docker.js';
import { Why137Error } from '../../../src/errors/why137-error.js';
import { fixturePath } from '../../helpers/fixture-path.js';

type DockerEdit = Extract<Edit, { platform: 'docker' }>;

export const SECRET_IN_ENV = 'hunter2-very-secret-value';
export const CONTAINER_ID = 'e2234ca15c4bf323fe83eb3adf4441f17eaab8f0bff4898ba2ec27a4c58cba84';

/** The recorded OOM-killed container, with a password in its environment that must never reach Slack or the log. */
export function inspectFixture(): string {
  const list = JSON.parse(readFileSync(fixturePath('docker', 'inspect-oom-killed-cgroupv1.json'), 'utf8')) as { Id: string; Config: { Env: string[] | null } }[];
  // Config first, so the environment is inside the excerpt the thread shows.
  return JSON.stringify(list.map(({ Id, Config, ...rest }) => ({ Id, Config: { ...Config, Env: ['PATH=/bin', `DB_PASSWORD=${SECRET_IN_ENV}`] }, ...rest })), null, 2);
}

export interface FakeDockerSources {
  sources: SourceRegistry;
  /** Holds a source until released: `hold('docker.events')` returns the release function. */
  hold(source: string): () => void;
  /** Sources that throw (denied) instead of answering. */
  deny: Set<string>;
  /** Milliseconds each source waits before answering. */
  latency: Record<string, number>;
  finished: string[];
}

/** docker.inspect / docker.events / ssh.kernel-log as fakes returning the recorded OOM kill; the kernel log is denied unless told otherwise. */
export function fakeDockerSources(): FakeDockerSources {
  const holds = new Map<string, Promise<void>>();
  const deny = new Set<string>(['ssh.kernel-log']);
  const latency: Record<string, number> = {};
  const finished: string[] = [];
  const artifacts: Record<string, [string, string][]> = {
    'docker.inspect': [['docker-inspect.json', inspectFixture()]],
    'docker.events': [['docker-events.jsonl', readFileSync(fixturePath('docker', 'events-oom-killed.jsonl'), 'utf8')]],
    'ssh.kernel-log': [],
  };
  const make = (name: string): Source => ({
    name, reads: `what ${name} reads`, params: z.object({}).passthrough(),
    async collect(ctx): Promise<StepOutput> {
      await holds.get(name);
      if (latency[name]) await new Promise((r) => setTimeout(r, latency[name]));
      if (ctx.signal.aborted) throw ctx.signal.reason;
      finished.push(name);
      if (deny.has(name)) throw Object.assign(new Error(`${name}: permission denied for the test`), { fault: 'denied' });
      return { artifacts: (artifacts[name] ?? []).map(([n, content]) => ({ name: n, content })), facts: { finishedAt: '2026-11-20T10:58:42Z', containerId: CONTAINER_ID }, calls: 1 };
    },
  });
  return {
    // Every real source stays registered (the built-in runbooks name them); the docker runbook's three are fakes.
    sources: { ...realSources, ...Object.fromEntries(Object.keys(artifacts).map((n) => [n, make(n)])) },
    hold(source) {
      let release!: () => void;
      holds.set(source, new Promise<void>((r) => { release = r; }));
      return () => { holds.delete(source); release(); };
    },
    deny, latency, finished,
  };
}

export interface FakeDockerEngine {
  executor: Executor<DockerEdit>;
  /** The container's limits as the fake engine holds them. */
  state: { id: string; memoryBytes: number; memorySwapBytes: number };
  counts: { snapshot: number; apply: number; rollback: number };
  /** Milliseconds apply takes (a concurrency window). */
  applyMs: number;
}

/** An in-memory Docker engine behind the Executor contract (revise is the real one): counts every update. */
export function fakeDockerEngine(): FakeDockerEngine {
  const state = { id: CONTAINER_ID, memoryBytes: 32 * 1024 * 1024, memorySwapBytes: 32 * 1024 * 1024 };
  const counts = { snapshot: 0, apply: 0, rollback: 0 };
  const snap = (): Snapshot => ({ fingerprint: JSON.stringify(state), state: { ...state } });
  const engine: FakeDockerEngine = {
    state, counts, applyMs: 0,
    executor: {
      platform: 'docker',
      async snapshot() { counts.snapshot++; return snap(); },
      async apply(edit, expected) {
        counts.apply++;
        if (snap().fingerprint !== expected.fingerprint) throw new Why137Error('why137_target_changed', 'changed');
        await new Promise((r) => setTimeout(r, engine.applyMs));
        const before = { ...state };
        state.memoryBytes = edit.memoryBytes ?? state.memoryBytes;
        state.memorySwapBytes = edit.memorySwapBytes ?? state.memorySwapBytes;
        return { before, after: { ...state }, detail: `container ${edit.container}: memory ${before.memoryBytes} → ${state.memoryBytes}`, undo: before };
      },
      async rollback(edit, applied) {
        counts.rollback++;
        const before = { ...state };
        Object.assign(state, applied.before);
        return { before, after: { ...state }, detail: `container ${edit.container}: memory ${before.memoryBytes} → ${state.memoryBytes} (rolled back)`, undo: before };
      },
      revise: (edit, value) => reviseDocker(edit, value),
    },
  };
  return engine;
}
