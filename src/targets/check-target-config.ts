import type { Target } from './target.js';
import type { Config } from '../config/config-schema.js';
import { Why137Error } from '../errors/why137-error.js';

/**
 * Refuses a well-formed target the config does not allow, before any step runs: a kube context outside
 * kubernetes.contexts, a docker host missing from docker.hosts, a region outside aws.regions.
 */
export function checkTargetConfig(target: Target, config: Config): void {
  const refuse = (message: string): never => { throw new Why137Error('why137_target_invalid', message); };
  switch (target.kind) {
    case 'k8s':
    case 'k8s-workload': {
      const allowed = config.kubernetes.contexts;
      if (target.context !== undefined && allowed.length > 0 && !allowed.includes(target.context)) {
        refuse(`target context ${target.context} is not allowed; expected one of kubernetes.contexts: ${allowed.join(', ')}`);
      }
      return;
    }
    case 'docker':
      if (target.host !== undefined && !Object.hasOwn(config.docker.hosts, target.host)) {
        const known = Object.keys(config.docker.hosts);
        refuse(`target docker host ${target.host} is not configured; expected ${known.length ? `one of docker.hosts: ${known.join(', ')}` : `a docker.hosts.${target.host} entry with its url`}`);
      }
      return;
    case 'ecs':
    case 'ecs-service':
    case 'lambda': {
      const allowed = config.aws.regions;
      if (target.region !== undefined && allowed.length > 0 && !allowed.includes(target.region)) {
        refuse(`target region ${target.region} is not allowed; expected one of aws.regions: ${allowed.join(', ')}`);
      }
      return;
    }
    case 'host':
      return;
  }
}
