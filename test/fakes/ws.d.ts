// Minimal types for `ws` (installed with @slack/socket-mode, which has no @types/ws): what the Socket Mode fake uses.
declare module 'ws' {
  import type { EventEmitter } from 'node:events';
  export class WebSocket extends EventEmitter {
    send(data: string): void;
    close(): void;
    terminate(): void;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(options: { port: number; host?: string });
    address(): { port: number } | string;
    clients: Set<WebSocket>;
    close(cb?: () => void): void;
  }
}
