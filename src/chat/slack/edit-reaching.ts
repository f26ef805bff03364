import type { Edit } from '../../remediation/edit.js';
import type { Target } from '../../targets/target.js';
import type { Config } from '../../config/config-schema.js';

/**
 * The edit as it must be applied to reach what the diagnosis read, or why it cannot be: a
 * `docker:HOST/…` target's edit gets that docker.hosts engine; an edit cannot yet name a kube context
 * or a region, so a target naming a context (or a region other than aws.region) gets no button, and
 * the person runs the equivalent command instead. Applying it through the default context or region
 * could change a same-named workload somewhere else.
 */
export function editReaching(edit: Edit, target: Target, config: Config): { edit: Edit } | { why: string } {
  switch (edit.platform) {
    case 'docker': {
      if (target.kind !== 'docker' || target.host === undefined) return edit.host === undefined ? { edit } : { why: `its edit names docker host ${edit.host}, not the local engine the diagnosis read` };
      if (edit.host !== undefined && edit.host !== target.host) return { why: `its edit names docker host ${edit.host}, not ${target.host} where the diagnosis read` };
      return { edit: { ...edit, host: target.host } };
    }
    case 'kubernetes':
      if ((target.kind === 'k8s' || target.kind === 'k8s-workload') && target.context !== undefined) {
        return { why: `changes go through the default kube context, and this target names context ${target.context}: run the command with --context ${target.context}` };
      }
      return { edit };
    case 'ecs':
    case 'lambda': {
      const region = target.kind === 'ecs' || target.kind === 'ecs-service' || target.kind === 'lambda' ? target.region : undefined;
      if (region !== undefined && region !== config.aws.region) {
        return { why: `changes go through the default region (${config.aws.region ?? 'unset'}), and this target is in ${region}: run the command with --region ${region}` };
      }
      return { edit };
    }
  }
}
