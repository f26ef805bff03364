import type { Route, RouteDeps } from './route.js';
import { healthz } from './routes/healthz.js';
import { metrics } from './routes/metrics.js';
import { readyz } from './routes/readyz.js';

/**
 * Every HTTP route beside Slack's `POST /slack/events`, served in HTTP and Socket Mode alike.
 * Adding one = its file in routes/ + one line here.
 */
export const routes: readonly ((deps: RouteDeps) => Route)[] = [
  healthz,
  readyz,
  metrics,
];
