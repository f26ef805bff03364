import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createSshExecutor } from '../../src/clients/ssh.js';
import { RemoteAccessError } from '../../src/clients/remote-access-error.js';
import { configSchema, type Config } from '../../src/config/config-schema.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { describeWithComponents } from '../helpers/component.js';
import { startSshd, type Sshd, type SshUser } from '../helpers/sshd.js';

const env: NodeJS.ProcessEnv = { HOME: '/nonexistent-home' };

function configFor(d: Sshd, user: SshUser, extra: Partial<{ knownHosts: string; privateKeyFile: string; port: number; maxOutputBytes: number }> = {}): Config {
  return configSchema.parse({
    ssh: {
      hosts: [{ match: 'node-*', host: d.host, port: extra.port ?? d.port, user: user.name, privateKeyFile: extra.privateKeyFile ?? user.privateKeyFile, knownHosts: extra.knownHosts ?? d.knownHosts }],
      ...(extra.maxOutputBytes ? { maxOutputBytes: extra.maxOutputBytes } : {}),
    },
  });
}

function never(): AbortSignal {
  return new AbortController().signal;
}

describeWithComponents('createSshExecutor against a real sshd', ['sshd', 'ssh-keygen'], () => {
  let d: Sshd;
  beforeAll(async () => { d = await startSshd(); }, 30_000);
  afterAll(async () => { await d?.stop(); });

  test('runs the command as root and returns stdout, stderr and the exit code', async () => {
    const ssh = createSshExecutor('node-1', configFor(d, d.root), env);
    const r = await ssh.exec('echo hello; id -un; echo oops >&2; exit 3', { signal: never(), maxBytes: 1024 });
    expect(r).toEqual({ stdout: 'hello\nroot\n', stderr: 'oops\n', code: 3, truncated: false });
    expect(readFileSync(d.logFile, 'utf8')).toMatch(/Accepted publickey for root from 127\.0\.0\.1/);
  });

  test('logs in as the unprivileged user with its own key', async () => {
    const ssh = createSshExecutor('node-2', configFor(d, d.user), env);
    const r = await ssh.exec('id -un', { signal: never(), maxBytes: 1024 });
    expect(r.stdout.trim()).toBe(d.user.name);
    expect(r.code).toBe(0);
  });

  test('hashed known_hosts entries (ssh-keygen -H) are accepted', async () => {
    const file = path.join(d.dir, 'known_hosts_hashed');
    writeFileSync(file, readFileSync(d.knownHosts));
    expect(spawnSync('ssh-keygen', ['-H', '-f', file]).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
    const ssh = createSshExecutor('node-3', configFor(d, d.root, { knownHosts: file }), env);
    expect((await ssh.exec('echo ok', { signal: never(), maxBytes: 64 })).stdout).toBe('ok\n');
  });

  test('stdout is cut at maxBytes: reading stops, the channel closes, truncated is set', async () => {
    const ssh = createSshExecutor('node-4', configFor(d, d.root), env);
    const started = Date.now();
    // 1 GB would take far longer than the test allows if the executor kept reading.
    const r = await ssh.exec('yes why137 | head -c 1000000000', { signal: never(), maxBytes: 4096 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(Buffer.byteLength(r.stdout)).toBe(4096);
    expect(r.stdout.startsWith('why137\nwhy137\n')).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.code).toBeNull();
  });

  test('ssh.maxOutputBytes caps a caller asking for more', async () => {
    const ssh = createSshExecutor('node-5', configFor(d, d.root, { maxOutputBytes: 100 }), env);
    const r = await ssh.exec('yes why137 | head -c 100000', { signal: never(), maxBytes: 1_000_000 });
    expect(Buffer.byteLength(r.stdout)).toBe(100);
    expect(r.truncated).toBe(true);
  });

  test('an aborted signal closes the connection and rejects with its reason', async () => {
    const ssh = createSshExecutor('node-6', configFor(d, d.root), env);
    const before = countDisconnects(d);
    const ac = new AbortController();
    const started = Date.now();
    const pending = ssh.exec('sleep 30', { signal: ac.signal, maxBytes: 1024 });
    setTimeout(() => ac.abort(new DOMException('step timed out', 'TimeoutError')), 500);
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    // sshd logs the client's disconnect: the connection is closed, not left open behind the rejection.
    await waitFor(() => countDisconnects(d) > before);
    expect(classifyFault(await pending.catch((e: unknown) => e)).fault).toBe('timeout');
  });

  test('a signal aborted before the call rejects without connecting', async () => {
    const ssh = createSshExecutor('node-7', configFor(d, d.root), env);
    const ac = new AbortController();
    ac.abort();
    await expect(ssh.exec('echo no', { signal: ac.signal, maxBytes: 64 })).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('a host key other than the one in known_hosts is refused (denied)', async () => {
    const other = await d.newKey('impostor_host');
    const file = path.join(d.dir, 'known_hosts_other');
    writeFileSync(file, `[127.0.0.1]:${d.port} ${other.publicKey}\n`);
    const ssh = createSshExecutor('node-8', configFor(d, d.root, { knownHosts: file }), env);
    const err = await ssh.exec('echo should-not-run', { signal: never(), maxBytes: 64 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteAccessError);
    expect((err as Error).message).toMatch(/^host key of \[127\.0\.0\.1\]:\d+ \(SHA256:[A-Za-z0-9+/]+\) does not match .*known_hosts_other; refusing to connect/);
    expect((err as Error).message).not.toContain('\n');
    expect(classifyFault(err)).toMatchObject({ fault: 'denied' });
  });

  test('a host missing from known_hosts is refused before connecting', () => {
    const file = path.join(d.dir, 'known_hosts_empty');
    writeFileSync(file, '# nothing\n');
    let err: unknown;
    try { createSshExecutor('node-9', configFor(d, d.root, { knownHosts: file }), env); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RemoteAccessError);
    expect((err as Error).message).toMatch(/host key of \[127\.0\.0\.1\]:\d+ is unknown: .*known_hosts_empty has no entry for it; add it after checking its fingerprint \(ssh-keyscan -p \d+ 127\.0\.0\.1/);
    expect(classifyFault(err).fault).toBe('denied');
  });

  test('a user key the server does not know is refused (denied)', async () => {
    const stranger = await d.newKey('stranger');
    const ssh = createSshExecutor('node-10', configFor(d, d.root, { privateKeyFile: stranger.privateKeyFile }), env);
    const err = await ssh.exec('echo should-not-run', { signal: never(), maxBytes: 64 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteAccessError);
    expect((err as Error).message).toMatch(/^root@127\.0\.0\.1:\d+ refused the key \(privateKeyFile .*stranger\): Permission denied \(publickey\)/);
    expect(classifyFault(err).fault).toBe('denied');
  });

  test('no ssh.hosts entry for the name: a one-line config error naming the key to add', () => {
    expect(() => createSshExecutor('worker-1', configFor(d, d.root), env)).toThrow(Why137Error);
    expect(() => createSshExecutor('worker-1', configFor(d, d.root), env)).toThrow(/^no SSH access configured for worker-1: add an ssh\.hosts entry whose match covers it/);
  });

  test('a closed port is unreachable', async () => {
    const port = await closedPort();
    const file = path.join(d.dir, 'known_hosts_closed');
    writeFileSync(file, `[127.0.0.1]:${port} ${d.hostPublicKey}\n`);
    const ssh = createSshExecutor('node-11', configFor(d, d.root, { port, knownHosts: file }), env);
    const err = await ssh.exec('true', { signal: never(), maxBytes: 64 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/is unreachable \(ECONNREFUSED\)/);
    expect(classifyFault(err).fault).toBe('unreachable');
  });

  test('a server that never answers the handshake times out', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => { sockets.push(s); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const file = path.join(d.dir, 'known_hosts_silent');
      writeFileSync(file, `[127.0.0.1]:${port} ${d.hostPublicKey}\n`);
      const ssh = createSshExecutor('node-12', configFor(d, d.root, { port, knownHosts: file }), env);
      const err = await ssh.exec('true', { signal: never(), maxBytes: 64 }).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/did not complete the SSH handshake within \d+s/);
      expect(classifyFault(err).fault).toBe('timeout');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 30_000);
});

function countDisconnects(d: Sshd): number {
  return (readFileSync(d.logFile, 'utf8').match(/Disconnected from user root|Connection closed by 127\.0\.0\.1|Close session: user root/g) ?? []).length;
}

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
