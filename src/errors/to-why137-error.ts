import { Why137Error } from './why137-error.js';

/** Wraps anything thrown into a Why137Error so the user sees one line; the original stays as `cause`. */
export function toWhy137Error(err: unknown, context: string): Why137Error {
  if (err instanceof Why137Error) return err;
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new Why137Error('why137_internal', `${context}: ${detail}`, { cause: err });
}
