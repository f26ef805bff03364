import type { SlackDeps } from './slack-deps.js';
import { parseTarget } from '../../targets/parse-target.js';
import { checkTargetConfig } from '../../targets/check-target-config.js';
import { pickRunbook } from '../../runbooks/pick-runbook.js';
import { runSlackDiagnosis } from './run-slack-diagnosis.js';
import { tellUser, type Audience } from './tell-user.js';
import { oneLine } from './one-line.js';
import type { Target } from '../../targets/target.js';

/** Parses and checks the target, then runs the diagnosis; any failure is one ephemeral line. */
export async function diagnoseFor(deps: SlackDeps, text: string, to: Audience): Promise<void> {
  let target: Target;
  try {
    target = parseTarget(text, { kubeContexts: deps.config.kubernetes.contexts });
    checkTargetConfig(target, deps.config);
    pickRunbook(deps.runbooks, target.kind);
  } catch (err) {
    deps.logger.info({ err, user: to.user }, 'target refused');
    await tellUser(deps, to, oneLine(err, 'target'));
    return;
  }
  try {
    await runSlackDiagnosis(deps, { target, requester: to.user, channel: to.channel, ...(to.responseUrl ? { responseUrl: to.responseUrl } : {}) });
  } catch (err) {
    deps.logger.error({ err, user: to.user }, 'diagnosis failed');
    await tellUser(deps, to, `The diagnosis of ${text.slice(0, 200)} failed: ${oneLine(err, 'diagnose')}`);
  }
}
