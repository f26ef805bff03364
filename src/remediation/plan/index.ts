import type { Platform } from '../../diagnosis/evidence.js';
import type { PlatformPlanner } from './platform-planner.js';
import { docker } from './docker.js';
import { ecs } from './ecs.js';
import { kubernetes } from './kubernetes.js';
import { lambda } from './lambda.js';

/**
 * Every platform planner. `host` (a bare process or systemd unit) has none yet: why137 proposes nothing
 * it could not express as a concrete change. Adding a platform = one file + one line here.
 */
export const planners = {
  kubernetes,
  ecs,
  lambda,
  docker,
} satisfies Partial<Record<Platform, PlatformPlanner>>;
