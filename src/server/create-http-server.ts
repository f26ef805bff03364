import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Route, RouteResponse } from './route.js';

export interface HttpServerOptions {
  routes: readonly Route[];
  /** Bolt's request listener for `POST /slack/events` (HTTP mode); absent in Socket Mode. */
  slack?: RequestListener;
  slackPath?: string;
  logger: Logger;
  /** Largest request body a route reads. */
  bodyLimit?: number;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The one HTTP listener: Slack's events path goes to Bolt (which verifies the signature over the raw
 * body), anything else to the route registry with the raw body read up to a limit. Unknown paths 404,
 * a known path with another method 405; a route that throws answers 500 and the log keeps why.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const slackPath = options.slackPath ?? '/slack/events';
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    if (options.slack && path === slackPath) {
      if (method !== 'POST') return send(res, { status: 405, headers: { allow: 'POST' }, body: 'method not allowed' });
      try { options.slack(req, res); } catch (err) {
        options.logger.error({ err }, 'slack request listener failed');
        send(res, { status: 500, body: 'internal error' });
      }
      return;
    }
    const forPath = options.routes.filter((r) => r.path === path);
    const route = forPath.find((r) => r.method === method || (method === 'HEAD' && r.method === 'GET'));
    if (!route) {
      if (forPath.length > 0) return send(res, { status: 405, headers: { allow: forPath.map((r) => r.method).join(', ') }, body: 'method not allowed' });
      return send(res, { status: 404, body: 'not found' });
    }
    void (async () => {
      let body: Buffer;
      try { body = await readBody(req, limit); } catch (err) {
        return send(res, { status: (err as { status?: number }).status ?? 400, body: (err as Error).message });
      }
      try {
        const answer = await route.handler(req, body);
        send(res, method === 'HEAD' ? { ...answer, body: undefined } : answer);
      } catch (err) {
        options.logger.error({ err, route: `${route.method} ${route.path}` }, 'route failed');
        send(res, { status: 500, body: 'internal error' });
      }
    })();
  });
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) { reject(Object.assign(new Error(`body over ${limit} bytes`), { status: 413 })); req.destroy(); return; }
      chunks.push(c);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, r: RouteResponse): void {
  if (res.headersSent) { res.end(); return; }
  res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8', ...r.headers });
  res.end(r.body);
}
