import { z } from 'zod';

/**
 * A runbook file: which sources to run for one target kind, with params, timeouts and dependencies.
 * Steps run concurrently as soon as every step they `need` is done; an `optional` step's failure
 * does not skip the steps that need it.
 */
export const runbookSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a runbook name (lower-case a-z, 0-9 and -)'),
  description: z.string().optional(),
  target: z.enum(['k8s', 'k8s-workload', 'ecs', 'ecs-service', 'docker', 'lambda', 'host']),
  steps: z.array(z.object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a step id (lower-case a-z, 0-9 and -, starting with a letter)'),
    source: z.string().min(1),
    params: z.record(z.string(), z.unknown()).optional(),
    /** `500ms`, `5s`, `2m`: the step's AbortSignal fires then, and retries stay inside it. */
    timeout: z.string(),
    needs: z.array(z.string()).default([]),
    optional: z.boolean().default(false),
  }).strict()).min(1, 'at least one step'),
}).strict();

export type RunbookFile = z.infer<typeof runbookSchema>;

/** A validated runbook, ready to run: durations in ms and params parsed by each source's schema. */
export interface Runbook {
  name: string;
  description?: string;
  target: RunbookFile['target'];
  /** Where it was read from, for messages. */
  file: string;
  steps: RunbookStep[];
}

export interface RunbookStep {
  id: string;
  source: string;
  params: unknown;
  timeoutMs: number;
  needs: string[];
  optional: boolean;
}
