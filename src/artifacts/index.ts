import type { ArtifactKind, ArtifactParser } from './artifact-parser.js';
import { dockerInspect } from './docker-inspect.js';
import { kubernetesPod } from './kubernetes-pod.js';
import { kubernetesEvents } from './kubernetes-events.js';
import { kubernetesNode } from './kubernetes-node.js';
import { ecsTasks } from './ecs-tasks.js';
import { ecsTaskDefinition } from './ecs-task-definition.js';
import { logsInsights } from './logs-insights.js';
import { lambdaConfig } from './lambda-config.js';
import { lambdaLog } from './lambda-log.js';
import { dockerEvents } from './docker-events.js';
import { kernelLog } from './kernel-log.js';
import { kubernetesDescribe } from './kubernetes-describe.js';
import { containerLog } from './container-log.js';

/**
 * Every artifact parser, in detection order. Text parsers are tried top to bottom on the first 64 KiB,
 * so the most specific comes first and `container.log` (any output with a runtime OOM message) last.
 */
export const parsers = {
  'docker.inspect': dockerInspect,
  'kubernetes.pod': kubernetesPod,
  'kubernetes.events': kubernetesEvents,
  'kubernetes.node': kubernetesNode,
  'ecs.tasks': ecsTasks,
  'ecs.task-definition': ecsTaskDefinition,
  'logs.insights': logsInsights,
  'lambda.config': lambdaConfig,
  'lambda.log': lambdaLog,
  'docker.events': dockerEvents,
  'kernel.log': kernelLog,
  'kubernetes.describe': kubernetesDescribe,
  'container.log': containerLog,
} satisfies Record<ArtifactKind, ArtifactParser>;
