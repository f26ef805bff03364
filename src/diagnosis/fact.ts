import type { Evidence } from './evidence.js';
import type { CitedFact } from './verdict.js';

/** Cites one evidence item with what it shows. */
export function fact(e: Evidence, claim: string): CitedFact {
  return { ...e.cite, claim };
}
