import type { CauseRule } from '../rule.js';
import { fact } from '../fact.js';
import { targetName } from '../build-case.js';

const RUNTIME_NAME = { node: 'Node.js', jvm: 'The JVM', python: 'Python', go: 'The Go runtime', dotnet: '.NET', ruby: 'Ruby' } as const;

/**
 * The language runtime hit its own heap ceiling and aborted: not a kernel kill. Recognised by the
 * runtime's own message, never by the exit code (a Node heap abort exits 134, 139 or 1 by launcher).
 */
export const runtimeHeapLimit: CauseRule = (c) => {
  if (c.heapErrors.length === 0) return null;
  if (c.judged?.exitCode === 137) return null; // a SIGKILL happened as well: that is what ended it
  const h = c.heapErrors[c.heapErrors.length - 1]!;
  const cites = [fact(h, `${RUNTIME_NAME[h.runtime]} reported: ${h.message}`)];
  if (c.judged?.exitCode !== undefined) cites.push(fact(c.judged, `exit code ${c.judged.exitCode}: not a SIGKILL`));
  const used = h.heapUsedMb ? ` at about ${h.heapUsedMb} MB of heap` : '';
  return {
    code: 'runtime_heap_limit', confidence: 'high', evidence: cites,
    summary: `${RUNTIME_NAME[h.runtime]}${targetName(c).startsWith('the ') ? '' : ` in ${targetName(c)}`} ran out of its own heap${used} and aborted: the kernel did not kill it. Raise the runtime's heap ceiling toward 75% of the memory limit, or find what fills the heap.`,
  };
};
