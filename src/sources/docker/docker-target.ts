import type { Target } from '../../targets/target.js';
import { Why137Error } from '../../errors/why137-error.js';

/** The Docker host name (a docker.hosts key, or undefined for DOCKER_HOST / the local socket) and container of a docker target. */
export function dockerTarget(target: Target): { host?: string; container: string } {
  if (target.kind !== 'docker') {
    throw new Why137Error('why137_runbook_invalid', `a Docker source was given a ${target.kind} target; use it in docker runbooks only`);
  }
  return target.host === undefined ? { container: target.container } : { host: target.host, container: target.container };
}
