import type { Target } from '../../targets/target.js';
import type { StepOutput } from '../source.js';
import { Why137Error } from '../../errors/why137-error.js';

// Facts naming the machine a workload ran on, in the order they are trusted: a pod step's node, an ECS
// container instance's private DNS name or, as ecs-container-instance gives it, its EC2 instance id (EC2
// launch type; ssh.hosts entries then match `i-*`), the docker.hosts name the engine was reached by.
const HOST_FACTS = ['nodeName', 'privateDnsName', 'ec2InstanceId', 'dockerHost'] as const;

/**
 * The node or host name whose kernel log to read: `host:NAME` targets name it; a docker target's host; else
 * the first of HOST_FACTS a needed step found. Looked up in ssh.hosts by the executor. A needed step that
 * skipped (`skipped`: "Fargate task: AWS runs the host") gives the reason there is no host.
 */
export function kernelLogHost(target: Target, needs: Record<string, StepOutput>): string {
  if (target.kind === 'host') return target.name;
  if (target.kind === 'docker' && target.host !== undefined) return target.host;
  for (const key of HOST_FACTS) {
    for (const step of Object.values(needs)) {
      const v = step.facts[key];
      if (typeof v === 'string' && v !== '') return v;
    }
  }
  const skipped = Object.values(needs).map((s) => s.facts.skipped).find((v): v is string => typeof v === 'string' && v !== '');
  const hint = skipped ?? (target.kind === 'k8s' || target.kind === 'k8s-workload'
    ? 'the pod step (nodeName) must run first: add it to this step\'s needs'
    : target.kind === 'ecs' || target.kind === 'ecs-service'
      ? 'the task has no EC2 container instance (Fargate hides the host), or the ecs-container-instance step is not in needs'
      : target.kind === 'docker'
        ? 'the target uses the local engine: name a docker.hosts entry in the target (docker:HOST/CONTAINER) so there is a host to SSH to'
        : 'Lambda functions run on hosts no one can log in to');
  throw new Why137Error('why137_target_invalid', `no host to read the kernel log of for this ${target.kind} target: ${hint}`);
}
