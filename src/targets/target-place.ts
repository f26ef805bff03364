import type { Target } from './target.js';

/** Where a target was read: the kube context or AWS region it names (none: the defaults). */
export interface TargetPlace {
  context?: string;
  region?: string;
}

export function targetPlace(target: Target): TargetPlace {
  switch (target.kind) {
    case 'k8s':
    case 'k8s-workload':
      return target.context !== undefined ? { context: target.context } : {};
    case 'ecs':
    case 'ecs-service':
    case 'lambda':
      return target.region !== undefined ? { region: target.region } : {};
    default:
      return {};
  }
}
