import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { Metrics } from './create-metrics.js';

/** What a route answers. */
export interface RouteResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One HTTP endpoint beside Slack's (/healthz now; PagerDuty webhooks, /readyz and /metrics next). */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** Exact path, no parameters: `/healthz`. */
  path: string;
  /** Gets the whole body (signatures are computed over the raw bytes); throwing answers 500 with one line. */
  handler(req: IncomingMessage, rawBody: Buffer): RouteResponse | Promise<RouteResponse>;
}

/** What a route may use; each route file exports a function of these. */
export interface RouteDeps {
  store: Store;
  logger: Logger;
  /** Served on /metrics; without it /metrics answers 404. */
  metrics?: Metrics;
  /** What /readyz checks beside the store: Slack connected (auth.test / the socket), the config valid. */
  readiness?: { slack(): boolean; config(): boolean };
}
