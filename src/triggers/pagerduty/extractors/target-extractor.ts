import type { AlertFields } from '../alert-fields.js';

export interface ExtractContext {
  /** kubernetes.contexts from the config: a cluster label names a context only when listed there. */
  kubeContexts: readonly string[];
}

/**
 * A built-in way of reading a target from an alert: a target string (checked by parseTarget afterwards),
 * `{ error }` when the alert is of its kind but the target cannot be formed, or undefined when it is not.
 */
export type TargetExtractor = (fields: AlertFields, ctx: ExtractContext) => string | { error: string } | undefined;
