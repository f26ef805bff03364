import type { CauseRule } from '../rule.js';
import { fact } from '../fact.js';
import { targetName } from '../build-case.js';
import { capitalize } from '../capitalize.js';
import { logsCommand } from '../logs-command.js';

const MEANING: Record<number, string> = {
  0: 'exited cleanly (0): no signal at all',
  143: 'exited 143 = 128 + 15: SIGTERM, handled. It was stopped gracefully; no SIGKILL happened',
  134: 'exited 134 = 128 + 6: SIGABRT, an abort (often a runtime aborting on its own heap limit), not a SIGKILL',
  139: 'exited 139 = 128 + 11: SIGSEGV, a crash, not a SIGKILL',
  130: 'exited 130 = 128 + 2: SIGINT, not a SIGKILL',
};

/** The run judged did not end with SIGKILL and nothing shows a kill: say what the exit code does mean. */
export const notAKill: CauseRule = (c) => {
  const exit = c.judged?.exitCode;
  if (!c.judged || exit === undefined || exit === 137) return null;
  const meaning = MEANING[exit] ?? (exit > 128 && exit < 160 ? `exited ${exit} = 128 + ${exit - 128}: killed by signal ${exit - 128}, not SIGKILL` : `exited ${exit}: the application's own error code, not a signal`);
  return {
    code: 'unknown', confidence: 'high',
    evidence: [fact(c.judged, `exit code ${exit}${c.judged.reason ? `, reason ${c.judged.reason}` : ''}`)],
    summary: `${capitalize(targetName(c))} was not SIGKILLed: it ${meaning}. The container's own output says why it stopped.`,
    next: [{ why: 'the application’s last lines say why it exited', command: logsCommand(c) }],
  };
};
