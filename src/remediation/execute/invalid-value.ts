import { Why137Error } from '../../errors/why137-error.js';

/** why137_invalid_value for a typed value: what was typed (cut short) and what is expected, in one line. */
export function invalidValue(typed: string, expected: string): Why137Error {
  const shown = typed.trim().length > 40 ? `${typed.trim().slice(0, 40)}…` : typed.trim();
  return new Why137Error('why137_invalid_value', `"${shown}" is not a valid value: expected ${expected}`);
}
