import { z } from 'zod';
import type { Source, StepOutput, CollectContext } from '../../src/sources/source.js';
import type { Clients } from '../../src/clients/clients.js';
import type { Runbook, RunbookStep } from '../../src/runbooks/runbook-schema.js';

/** A Source whose collect is the given function: the engine is tested without any client. */
export function fakeSource(name: string, collect: (ctx: CollectContext<Record<string, unknown>>) => Promise<StepOutput>, reads = `what ${name} reads`): Source {
  return { name, reads, params: z.object({}).passthrough(), collect };
}

/** Clients that fail loudly if a fake source (wrongly) reaches for one. */
export const noClients: Clients = new Proxy({} as Clients, { get: (_t, p) => () => { throw new Error(`test used clients.${String(p)}`); } });

/** A runbook built in code: steps as [id, source, needs, timeoutMs?, optional?]. */
export function runbook(steps: [string, string, string[], number?, boolean?][]): Runbook {
  return {
    name: 'test', target: 'docker', file: 'test.yaml',
    steps: steps.map(([id, source, needs, timeoutMs = 2000, optional = false]): RunbookStep => ({ id, source, params: {}, timeoutMs, needs, optional })),
  };
}

export const output = (facts: Record<string, unknown> = {}, artifacts: { name: string; content: string }[] = [], calls = 1): StepOutput => ({ artifacts, facts, calls });

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when the signal aborts (a source that waits on its client, which honours the signal). */
export const untilAborted = (signal: AbortSignal): Promise<never> => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

/** An error shaped like the AWS SDK's service exceptions. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}
