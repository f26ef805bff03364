import type { Route } from '../route.js';

/** Liveness: the process answers HTTP. Readiness (the store is writable, Slack reachable) is /readyz's job. */
export function healthz(): Route {
  return { method: 'GET', path: '/healthz', handler: () => ({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' }) };
}
