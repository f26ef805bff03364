import { toWhy137Error } from '../../errors/to-why137-error.js';
import { redact } from '../../util/redact.js';

/** What a user sees of an error: one redacted line with its code (the log keeps the cause). */
export function oneLine(err: unknown, context: string): string {
  const e = toWhy137Error(err, context);
  return redact(`${e.message} (${e.code})`);
}
