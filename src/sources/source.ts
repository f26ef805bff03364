import type { z } from 'zod';
import type { Target } from '../targets/target.js';
import type { Clients } from '../clients/clients.js';

/** A raw object as its own tool prints it (`kubectl get pod -o json`, `docker inspect`, `dmesg -T`), parsed by the artifact parsers. */
export interface RawArtifact {
  /** File name for --save-artifacts, e.g. `pod.json`, `dmesg.txt`. */
  name: string;
  content: string;
}

/** What a step hands on: raw artifacts to parse, and facts its dependants need (node name, container ids, times). */
export interface StepOutput {
  artifacts: RawArtifact[];
  facts: Record<string, unknown>;
  /** Calls made to remote APIs, for the benchmark and the audit. */
  calls: number;
}

export interface CollectContext<P> {
  target: Target;
  params: P;
  /** Outputs of the steps this one `needs`, by step id. */
  needs: Record<string, StepOutput>;
  clients: Clients;
  /** Aborted when the step's timeout passes: pass it to every SDK call. */
  signal: AbortSignal;
  /** The incident window (from facts such as the container's finishedAt, else now minus config window). */
  window: { since: Date; until: Date };
}

/**
 * Collects the raw object of one kind from a live system through an injected client. No diagnosis
 * logic. Read-only: sources never write. Throw on failure; the runbook engine turns errors into
 * "source unavailable" evidence (timeout, denied, not found, unreachable, throttled).
 */
export interface Source<P = Record<string, unknown>> {
  name: string;
  /** What it reads, for `config check` and the verdict's "could not see". */
  reads: string;
  params: z.ZodType<P>;
  collect(ctx: CollectContext<P>): Promise<StepOutput>;
}
