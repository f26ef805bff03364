import type { Source } from './source.js';
import { dockerInspectSource } from './docker-inspect.js';
import { dockerEventsSource } from './docker-events.js';
import { sshKernelLogSource } from './ssh-kernel-log.js';
import { kubernetesPodSource } from './kubernetes-pod.js';
import { kubernetesEventsSource } from './kubernetes-events.js';
import { kubernetesNodeSource } from './kubernetes-node.js';
import { kubernetesOwnerSource } from './kubernetes-owner.js';
import { kubernetesWorkloadPodSource } from './kubernetes-workload-pod.js';
import { ecsTasksSource } from './ecs-tasks.js';
import { ecsServiceTaskSource } from './ecs-service-task.js';
import { ecsTaskDefinitionSource } from './ecs-task-definition.js';
import { ecsContainerInstanceSource } from './ecs-container-instance.js';
import { logsInsightsSource } from './logs-insights.js';
import { lambdaConfigSource } from './lambda-config.js';

/** Sources by name, as runbooks' `source:` fields name them. The engine takes any registry (tests pass fakes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each source has its own params type
export type SourceRegistry = Readonly<Record<string, Source<any>>>;

/** Every live source. Adding one = its file + one line here. */
export const sources = {
  'docker.inspect': dockerInspectSource,
  'docker.events': dockerEventsSource,
  'ssh.kernel-log': sshKernelLogSource,
  'kubernetes.pod': kubernetesPodSource,
  'kubernetes.events': kubernetesEventsSource,
  'kubernetes.node': kubernetesNodeSource,
  'kubernetes.owner': kubernetesOwnerSource,
  'kubernetes.workload-pod': kubernetesWorkloadPodSource,
  'ecs.tasks': ecsTasksSource,
  'ecs.service-task': ecsServiceTaskSource,
  'ecs.task-definition': ecsTaskDefinitionSource,
  'ecs.container-instance': ecsContainerInstanceSource,
  'logs.insights': logsInsightsSource,
  'lambda.config': lambdaConfigSource,
} satisfies SourceRegistry;
