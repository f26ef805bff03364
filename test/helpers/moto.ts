import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { findExecutable } from './component.js';

export interface Moto {
  /** `http://127.0.0.1:PORT`: every AWS service moto emulates answers here. */
  endpoint: string;
  /** moto's output so far, for failure messages. */
  log(): string;
  /** Stops the server (SIGTERM, SIGKILL after a grace period). */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const POLL_MS = 100;
const STOP_GRACE_MS = 5_000;
// A free port can be taken between choosing it and moto binding it: try a few.
const START_ATTEMPTS = 3;
const MAX_LOG_CHARS = 20_000;

/**
 * Starts `moto_server` on a free loopback port and waits until it answers. Each call is its own server
 * with its own state; stop it in afterAll. Use inside describeWithComponents(title, ['moto_server'], ...).
 */
export async function startMoto(): Promise<Moto> {
  const bin = findExecutable('moto_server');
  if (!bin) throw new Error('startMoto: moto_server is not on PATH (pip install "moto[server]")');
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOn(bin, await freePort());
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOn(bin: string, port: number): Promise<Moto> {
  // detached: its own process group, so stop() ends the shim's children too, and nothing else.
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  let output = '';
  const append = (b: Buffer) => { output = (output + b.toString('utf8')).slice(-MAX_LOG_CHARS); };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const endpoint = `http://127.0.0.1:${port}`;
  const moto: Moto = { endpoint, log: () => output, stop: () => stop(child, exit, () => exited) };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`moto_server exited on port ${port}: ${output.slice(-2000)}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return moto;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await moto.stop();
  throw new Error(`moto_server did not answer on ${endpoint} within ${START_TIMEOUT_MS} ms: ${output.slice(-2000)}`);
}

async function stop(child: ChildProcess, exit: Promise<void>, exited: () => boolean): Promise<void> {
  if (exited() || child.pid === undefined) return;
  const signalGroup = (sig: NodeJS.Signals) => { try { process.kill(-child.pid!, sig); } catch { /* already gone */ } };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MS);
  await exit;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
