import { request } from 'node:http';

/** A plain GET on loopback (no keep-alive), for the bot's health, readiness and metrics routes. */
export function httpGet(url: string): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; })
        .once('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers['content-type'] ? { type: res.headers['content-type'] } : {}) }));
    }).once('error', reject).end();
  });
}
