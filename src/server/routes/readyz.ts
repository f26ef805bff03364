import type { Route, RouteDeps } from '../route.js';

/**
 * Readiness: 200 only when Slack is connected (auth.test succeeded and still does; in Socket Mode, the
 * socket is up), the store can be written and the config is valid; else 503 with a JSON body naming
 * each check that failed, so a load balancer stops sending work to a replica that cannot do it.
 */
export function readyz(deps: RouteDeps): Route {
  return {
    method: 'GET',
    path: '/readyz',
    handler() {
      const checks = {
        slack: deps.readiness ? deps.readiness.slack() : false,
        store: safe(() => deps.store.writable()),
        config: deps.readiness ? safe(() => deps.readiness!.config()) : false,
      };
      const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
      return {
        status: failed.length === 0 ? 200 : 503,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(failed.length === 0 ? { status: 'ready', checks } : { status: 'not_ready', failed, checks }),
      };
    },
  };
}

function safe(check: () => boolean): boolean {
  try { return check(); } catch { return false; }
}
