import type { Edit } from '../../remediation/edit.js';
import type { Target } from '../../targets/target.js';
import type { Config } from '../../config/config-schema.js';

/**
 * The edit as it must be applied to reach what the diagnosis read, or why it cannot be: a
 * `docker:HOST/…` target's edit gets that docker.hosts engine; a kubernetes edit must name the kube
 * context the target named (none: the default), an ECS or Lambda edit the region the target was read
 * in (none: aws.region). The planners fill the context and region from the diagnosed target, so this
 * only refuses an edit planned for somewhere else: applying it could change a same-named workload there.
 */
export function editReaching(edit: Edit, target: Target, config: Config): { edit: Edit } | { why: string } {
  switch (edit.platform) {
    case 'docker': {
      if (target.kind !== 'docker' || target.host === undefined) return edit.host === undefined ? { edit } : { why: `its edit names docker host ${edit.host}, not the local engine the diagnosis read` };
      if (edit.host !== undefined && edit.host !== target.host) return { why: `its edit names docker host ${edit.host}, not ${target.host} where the diagnosis read` };
      return { edit: { ...edit, host: target.host } };
    }
    case 'kubernetes': {
      const read = target.kind === 'k8s' || target.kind === 'k8s-workload' ? target.context : undefined;
      if (edit.context !== read) {
        return { why: `its edit goes through ${contextName(edit.context)}, and the diagnosis read ${contextName(read)}: run the command with ${read === undefined ? 'the default context' : `--context ${read}`}` };
      }
      return { edit };
    }
    case 'ecs':
    case 'lambda': {
      const read = (target.kind === 'ecs' || target.kind === 'ecs-service' || target.kind === 'lambda' ? target.region : undefined) ?? config.aws.region;
      const applied = edit.region ?? config.aws.region;
      if (applied !== read) {
        return { why: `its edit goes to region ${applied ?? '(default, unset)'}, and the diagnosis read ${read ?? 'the default region'}: run the command${read === undefined ? '' : ` with --region ${read}`}` };
      }
      return { edit };
    }
  }
}

function contextName(context: string | undefined): string {
  return context === undefined ? 'the default kube context' : `kube context ${context}`;
}
