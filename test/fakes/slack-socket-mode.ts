import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlack } from './slack-api.js';

export interface FakeSocketMode {
  /** Resolves once the app has connected and been greeted (`hello`). */
  connected: Promise<void>;
  /** Sends an envelope (`slash_commands`, `interactive`) and resolves with the app's ack (its envelope_id echoed, with any payload). */
  send(type: 'slash_commands' | 'interactive', payload: Record<string, unknown>): Promise<{ envelope_id: string; payload?: unknown }>;
  close(): Promise<void>;
}

/**
 * Slack's Socket Mode side, on loopback: apps.connections.open (on the fake Web API, with the app
 * token) hands out this WebSocket's URL; a connecting app is greeted with `hello`, and envelopes
 * are sent the way Slack sends them, each answered by an ack carrying its envelope_id.
 */
export async function startFakeSocketMode(slack: FakeSlack): Promise<FakeSocketMode> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as { port: number }).port;
  slack.socketUrl = `ws://127.0.0.1:${port}/link/?ticket=fake`;
  let socket: WebSocket | undefined;
  const acks = new Map<string, (m: { envelope_id: string; payload?: unknown }) => void>();
  const connected = new Promise<void>((resolve) => {
    wss.on('connection', (ws: WebSocket) => {
      socket = ws;
      ws.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString('utf8')) as { envelope_id?: string; payload?: unknown };
        if (m.envelope_id) acks.get(m.envelope_id)?.({ envelope_id: m.envelope_id, payload: m.payload });
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0WHY137' } }));
      resolve();
    });
  });
  return {
    connected,
    send(type, payload) {
      const envelope_id = randomUUID();
      return new Promise((resolve) => {
        acks.set(envelope_id, resolve);
        socket!.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type === 'slash_commands' }));
      });
    },
    close: () => new Promise((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }),
  };
}
