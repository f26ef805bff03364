import type { Edit } from '../edit.js';
import type { Executor } from './executor.js';
import { executors } from './index.js';

/** The executor for an edit, typed for that edit (TypeScript cannot correlate `executors[edit.platform]` with `edit`). */
export function executorFor<E extends Edit>(edit: E): Executor<E> {
  return executors[edit.platform] as unknown as Executor<E>;
}
