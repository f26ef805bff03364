import type { Edit } from '../edit.js';
import type { Executor } from './executor.js';
import { dockerExecutor } from './docker.js';
import { ecsExecutor } from './ecs.js';
import { kubernetesExecutor } from './kubernetes.js';
import { lambdaExecutor } from './lambda.js';

/** One executor per platform an Edit can name. Adding a platform = one file + one line here. */
export const executors: { [P in Edit['platform']]: Executor<Extract<Edit, { platform: P }>> } = {
  kubernetes: kubernetesExecutor,
  ecs: ecsExecutor,
  lambda: lambdaExecutor,
  docker: dockerExecutor,
};
