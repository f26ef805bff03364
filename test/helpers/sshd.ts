import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { findExecutable } from './component.js';

export interface SshUser {
  name: string;
  /** An unencrypted ed25519 private key (OpenSSH format) whose public half is in the user's authorized_keys. */
  privateKeyFile: string;
  publicKey: string;
}

export interface Sshd {
  host: string;
  port: number;
  /** A known_hosts file holding this daemon's host key as `[127.0.0.1]:PORT ssh-ed25519 …`. */
  knownHosts: string;
  /** The host key's public line (`ssh-ed25519 AAAA… comment`). */
  hostPublicKey: string;
  root: SshUser;
  /** An unprivileged login user (created with useradd if missing): no CAP_SYSLOG, so dmesg_restrict applies. */
  user: SshUser;
  /** sshd's own log (-e): "Accepted publickey for …", "Connection closed by authenticating user …". */
  logFile: string;
  dir: string;
  /** Generates another ed25519 key pair (not authorized anywhere) in the daemon's directory. */
  newKey(name: string): Promise<{ privateKeyFile: string; publicKey: string }>;
  /** Stops sshd and the sessions it started, then deletes the directory. */
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Login name of the unprivileged user; created if missing. */
  userName?: string;
  /** Extra sshd_config lines (e.g. `SetEnv DOCKER_HOST=unix:///…` for `docker system dial-stdio`). */
  extraConfig?: string[];
}

export const DEFAULT_SSH_USER = 'why137-probe';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;
// sshd refuses to start without its privilege separation directory (Debian: /run/sshd, made by the init script).
const PRIVSEP_DIR = '/run/sshd';

/**
 * Starts Debian's sshd (as root) on 127.0.0.1 and a free port, with a freshly generated host key, public
 * key authentication only, and authorized_keys files in a private directory for root and an unprivileged user.
 */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const sshdBin = findExecutable('sshd');
  const keygen = findExecutable('ssh-keygen');
  if (!sshdBin || !keygen) throw new Error('startSshd: needs sshd and ssh-keygen (apt-get install openssh-server)');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new Error('startSshd: sshd must run as root to log in as other users');
  const userName = options.userName ?? DEFAULT_SSH_USER;
  await ensureUser(userName);
  await mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 });

  const dir = await mkdtemp('/tmp/w137-ssh-');
  // sshd reads authorized_keys as the logging-in user, so the unprivileged user must be able to reach it.
  await chmod(dir, 0o755);
  const authDir = path.join(dir, 'authorized_keys');
  await mkdir(authDir, { mode: 0o755 });
  await chmod(authDir, 0o755);
  const newKey = async (name: string) => {
    const file = path.join(dir, name);
    await run(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', `why137-test-${name}`, '-f', file]);
    return { privateKeyFile: file, publicKey: (await readFile(`${file}.pub`, 'utf8')).trim() };
  };
  const hostKey = await newKey('host_ed25519');
  const rootKey = await newKey('root_ed25519');
  const userKey = await newKey('user_ed25519');
  await writeFile(path.join(authDir, 'root'), `${rootKey.publicKey}\n`, { mode: 0o644 });
  await writeFile(path.join(authDir, userName), `${userKey.publicKey}\n`, { mode: 0o644 });
  const logFile = path.join(dir, 'sshd.log');

  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const config = path.join(dir, 'sshd_config');
    await writeFile(config, [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey.privateKeyFile}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authDir}/%u`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      // UsePAM no: no pam_loginuid failures in containers. Then sshd refuses `!`-locked accounts, hence useradd -p '*'.
      'UsePAM no',
      // The keys live under /tmp (world-writable), which StrictModes would reject.
      'StrictModes no',
      `AllowUsers root ${userName}`,
      'PrintMotd no',
      'LogLevel VERBOSE',
      'MaxStartups 100',
      ...(options.extraConfig ?? []),
      '',
    ].join('\n'));
    const log = createWriteStream(logFile, { flags: 'a' });
    const daemon = spawn(sshdBin, ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    daemon.stdout!.pipe(log, { end: false });
    daemon.stderr!.pipe(log, { end: false });
    let exited = false;
    const exit = new Promise<void>((resolve) => daemon.once('exit', () => { exited = true; resolve(); }));
    try {
      await waitForBanner(port, () => exited, logFile);
    } catch (err) {
      lastError = err;
      signal(daemon, 'SIGKILL');
      await Promise.race([exit, delay(2_000)]);
      await new Promise<void>((resolve) => log.end(() => resolve()));
      continue;
    }
    const knownHosts = path.join(dir, 'known_hosts');
    await writeFile(knownHosts, `[127.0.0.1]:${port} ${hostKey.publicKey}\n`);
    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      const sessions = await descendants(daemon.pid);
      signal(daemon, 'SIGTERM');
      if (!(await Promise.race([exit.then(() => true), delay(STOP_TIMEOUT_MS).then(() => false)]))) {
        signal(daemon, 'SIGKILL');
        await Promise.race([exit, delay(2_000)]);
      }
      // Sessions outlive the listener; they are ours (children of our sshd), so end them by pid.
      for (const pid of sessions) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      await new Promise<void>((resolve) => log.end(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    };
    return {
      host: '127.0.0.1', port, knownHosts, hostPublicKey: hostKey.publicKey, logFile, dir, newKey, stop,
      root: { name: 'root', ...rootKey },
      user: { name: userName, ...userKey },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function ensureUser(name: string): Promise<void> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  if (!passwd.split('\n').some((l) => l.startsWith(`${name}:`))) {
    // '*': no password can match, but the account is not locked ('!'), which sshd without PAM would refuse.
    await run('useradd', ['-m', '-s', '/bin/sh', '-p', '*', name]).catch(async (err: unknown) => {
      // Another test file may have created it meanwhile.
      const again = await readFile('/etc/passwd', 'utf8');
      if (!again.split('\n').some((l) => l.startsWith(`${name}:`))) throw err;
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until the port answers with an SSH banner (`SSH-2.0-OpenSSH_9.2p1 …`). */
async function waitForBanner(port: number, exited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`sshd exited during start-up: ${(await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ')}`);
    if (await banner(port)) return;
    await delay(50);
  }
  throw new Error(`sshd did not answer on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`);
}

function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(1_000, () => done(false));
    sock.once('data', (d: Buffer) => done(d.toString('latin1').startsWith('SSH-2.0-')));
    sock.once('error', () => done(false));
  });
}

/** Every process below `pid` (sshd's per-connection children and their sessions). */
async function descendants(pid: number | undefined): Promise<number[]> {
  if (pid === undefined) return [];
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
  }
  const out: number[] = [];
  const walk = (p: number) => { for (const [child, parent] of parents) if (parent === p) { out.push(child); walk(child); } };
  walk(pid);
  return out;
}

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${bin} ${args.join(' ')} failed (${code}): ${err.trim()}`))));
  });
}

function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try { if (child.pid !== undefined) process.kill(child.pid, sig); } catch { /* already gone */ }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms).unref(); });
}
