import type { Route, RouteDeps } from '../route.js';

/** Prometheus scrape endpoint: the app's own registry (why137_* and the default process metrics). */
export function metrics(deps: RouteDeps): Route {
  return {
    method: 'GET',
    path: '/metrics',
    async handler() {
      if (!deps.metrics) return { status: 404, body: 'not found' };
      return { status: 200, headers: { 'content-type': deps.metrics.registry.contentType }, body: await deps.metrics.registry.metrics() };
    },
  };
}
