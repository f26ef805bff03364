import type { Proposal } from '../proposal.js';
import type { PlanContext } from './plan-context.js';
import { makeProposal } from './make-proposal.js';

const RUNTIME_HANDLERS: Record<string, string> = {
  node: "process.on('SIGTERM', () => server.close(() => process.exit(0)))",
  jvm: 'a shutdown hook (Runtime.getRuntime().addShutdownHook) or the framework\'s graceful shutdown (server.shutdown=graceful in Spring Boot)',
  go: 'signal.NotifyContext(ctx, syscall.SIGTERM) and http.Server.Shutdown(ctx)',
  python: 'gunicorn and celery handle SIGTERM themselves (warm shutdown); a plain script needs signal.signal(signal.SIGTERM, handler)',
};

/**
 * handle_sigterm: advice only. A longer grace period helps only a process that is shutting down; one that
 * never sees SIGTERM (a shell or npm as PID 1 does not forward it) is killed after any grace period.
 */
export function sigtermProposal(ctx: PlanContext, initOption: string): Proposal {
  const handler = RUNTIME_HANDLERS[ctx.settings.runtime ?? ''] ?? 'a SIGTERM handler that stops accepting work, finishes in-flight work and exits';
  return makeProposal(ctx, {
    action: 'handle_sigterm',
    title: 'Make the process exit on SIGTERM',
    changes: [],
    why: 'The stop sent SIGTERM and the process was still running when the grace period ended, so it was escalated to SIGKILL (exit 137). Either the process never received SIGTERM or it does not exit on it.',
    risk: 'None to the running service; it is a code or image change, rolled out like any other.',
    command: [
      '# 1. PID 1 must receive the signal: use the exec form (CMD ["node", "server.js"]), not a shell form or `npm start`,',
      `#    or run an init that forwards signals: ${initOption}`,
      `# 2. handle it: ${handler}`,
      '# 3. exit within the grace period: stop accepting new work first, then drain',
    ].join('\n'),
    addresses: ['stop_timeout'],
    executable: false,
  });
}
