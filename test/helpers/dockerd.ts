import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, open, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { findExecutable } from './component.js';

export interface DockerResult {
  stdout: string;
  stderr: string;
  /** Exit code; -1 when the client was killed by the timeout. */
  code: number;
}

export interface DockerOptions {
  /** Bytes written to the client's standard input (`docker import -`, `docker load`). */
  input?: Buffer | string;
  timeoutMs?: number;
}

export interface Dockerd {
  /** The daemon's unix socket (pass as `-H unix://<socket>` or to dockerode's `socketPath`). */
  socket: string;
  /** Runs the docker CLI against this daemon only (its own DOCKER_CONFIG, no credential helpers). */
  docker: (args: string[], options?: DockerOptions) => Promise<DockerResult>;
  /** A busybox-static image, `why137-busybox:latest`: sh, sleep, tail, ... as symlinks to /bin/busybox. */
  image: string;
  /** dockerd's own stderr (its log: "Container failed to exit within 1s of signal 15 - using the force"). */
  logFile: string;
  /** The private directory holding the socket, data root, exec root and log. */
  root: string;
  /** Removes every container, stops the daemon (SIGKILL after a timeout), kills leftovers and deletes the directory. */
  stop(): Promise<void>;
}

export const BUSYBOX_IMAGE = 'why137-busybox:latest';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const CLIENT_TIMEOUT_MS = 120_000;

// Daemons still running when the test process exits without calling stop() (a crash, a forgotten
// afterAll): SIGTERM lets dockerd stop its containers and its containerd on its own.
const live = new Set<ChildProcess>();
process.once('exit', () => { for (const d of live) signal(d, 'SIGTERM'); });

/**
 * Starts a private dockerd (as root) with vfs storage and no networking, so several can run at once
 * beside a system daemon: unique directories per call, nothing under /var/lib/docker or /var/run/docker.
 */
export async function startDockerd(): Promise<Dockerd> {
  const dockerdBin = findExecutable('dockerd');
  const dockerBin = findExecutable('docker');
  const busyboxBin = findExecutable('busybox');
  if (!dockerdBin || !dockerBin || !busyboxBin) throw new Error('startDockerd: needs dockerd, docker and busybox on PATH (apt-get install docker.io busybox-static)');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new Error('startDockerd: dockerd must run as root');
  if (await isDynamicElf(busyboxBin)) throw new Error(`startDockerd: ${busyboxBin} is dynamically linked and would not run in an empty image; install busybox-static`);

  // NOTE: unix socket paths are limited to 108 bytes (sun_path), and containerd puts its socket under
  // the exec root, so every path stays short: /tmp/w137-XXXXXX/e/containerd/containerd.sock.
  const root = await mkdtemp('/tmp/w137-');
  const socket = path.join(root, 'd.sock');
  const logFile = path.join(root, 'dockerd.log');
  const configDir = path.join(root, 'cli');
  await mkdir(configDir);
  await writeFile(path.join(configDir, 'config.json'), '{}\n');
  await writeFile(path.join(root, 'daemon.json'), '{}\n');

  // dockerd writes its log straight to the file: it outlives this process if a test crashes, and no pipe breaks.
  const logFd = openSync(logFile, 'a');
  const daemon = spawn(dockerdBin, [
    '--config-file', path.join(root, 'daemon.json'),
    '--iptables=false', '--ip6tables=false', '--bridge=none', '--storage-driver=vfs',
    '--data-root', path.join(root, 'd'), '--exec-root', path.join(root, 'e'), '--pidfile', path.join(root, 'p'),
    '--shutdown-timeout', '2', '-H', `unix://${socket}`,
  ], { stdio: ['ignore', logFd, logFd], detached: true });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => daemon.once('exit', (code) => resolve(code)));
  let running = true;
  live.add(daemon);
  void exited.then(() => { running = false; live.delete(daemon); });

  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: configDir, DOCKER_CLI_HINTS: 'false' };
  delete env.DOCKER_CONTEXT;
  delete env.DOCKER_TLS_VERIFY;
  const docker = (args: string[], options: DockerOptions = {}) => run(dockerBin, args, env, options);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (running) {
      const ids = await docker(['ps', '-aq', '--no-trunc'], { timeoutMs: 15_000 }).catch(() => null);
      const list = ids?.stdout.split('\n').filter(Boolean) ?? [];
      if (list.length > 0) await docker(['rm', '-f', ...list], { timeoutMs: 30_000 }).catch(() => undefined);
      signal(daemon, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS).then(() => false)]);
      if (!done) { signal(daemon, 'SIGKILL'); await Promise.race([exited, delay(5_000)]); }
    }
    // The managed containerd and its shims re-parent themselves; find them by our unique directory.
    await killProcessesMentioning(root);
    await unmountUnder(root);
    await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => undefined);
  };

  try {
    await waitForPing(socket, exited, () => running, logFile);
    await buildBusyboxImage(root, busyboxBin, docker);
  } catch (err) {
    await stop();
    throw err;
  }
  return { socket, docker, image: BUSYBOX_IMAGE, logFile, root, stop };
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, options: DockerOptions): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { stderr += `\n(killed after ${options.timeoutMs ?? CLIENT_TIMEOUT_MS} ms)`; child.kill('SIGKILL'); }, options.timeoutMs ?? CLIENT_TIMEOUT_MS);
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    child.once('close', (code) => { clearTimeout(timer); resolve({ stdout, stderr, code: code ?? -1 }); });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

async function waitForPing(socket: string, exited: Promise<unknown>, running: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let died = false;
  void exited.then(() => { died = true; });
  while (Date.now() < deadline) {
    if (died || !running()) throw new Error(`dockerd exited during start-up: ${await tail(logFile)}`);
    if (await ping(socket)) return;
    await delay(100);
  }
  throw new Error(`dockerd did not answer on ${socket} within ${START_TIMEOUT_MS} ms: ${await tail(logFile)}`);
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => { req.destroy(); resolve(false); });
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** `docker import` of a folder with busybox-static and its applet symlinks (no registry, no network). */
async function buildBusyboxImage(root: string, busyboxBin: string, docker: (a: string[], o?: DockerOptions) => Promise<DockerResult>): Promise<void> {
  const rootfs = path.join(root, 'rootfs');
  await mkdir(path.join(rootfs, 'bin'), { recursive: true });
  await mkdir(path.join(rootfs, 'tmp'), { recursive: true });
  await chmod(path.join(rootfs, 'tmp'), 0o1777);
  await copyFile(busyboxBin, path.join(rootfs, 'bin', 'busybox'));
  await chmod(path.join(rootfs, 'bin', 'busybox'), 0o755);
  const list = await run(busyboxBin, ['--list'], process.env, { timeoutMs: 10_000 });
  if (list.code !== 0) throw new Error(`busybox --list failed: ${list.stderr.trim()}`);
  for (const applet of list.stdout.split('\n').map((s) => s.trim()).filter((s) => /^[\w.[\]-]+$/.test(s) && s !== 'busybox')) {
    await symlink('busybox', path.join(rootfs, 'bin', applet)).catch(() => undefined);
  }
  const tar = await tarOf(rootfs);
  const imported = await docker(['import', '-', BUSYBOX_IMAGE], { input: tar, timeoutMs: 60_000 });
  if (imported.code !== 0) throw new Error(`docker import failed: ${imported.stderr.trim()}`);
  await rm(rootfs, { recursive: true, force: true });
}

function tarOf(dir: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`tar failed: ${stderr.trim()}`))));
  });
}

/** True when the ELF file asks for a program interpreter (is dynamically linked). */
async function isDynamicElf(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const header = Buffer.alloc(64);
    await fh.read(header, 0, 64, 0);
    if (header.toString('latin1', 0, 4) !== '\x7fELF' || header[4] !== 2) return false;
    const phoff = Number(header.readBigUInt64LE(32));
    const phentsize = header.readUInt16LE(54);
    const phnum = header.readUInt16LE(56);
    const table = Buffer.alloc(phentsize * phnum);
    await fh.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === 3 /* PT_INTERP */) return true;
    return false;
  } finally {
    await fh.close();
  }
}

function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try { if (child.pid !== undefined) process.kill(child.pid, sig); } catch { /* already gone */ }
}

/** Kills (by pid) the processes whose command line names our private directory: containerd, shims. */
async function killProcessesMentioning(root: string): Promise<void> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(`${root}/`) || cmdline.includes(`${root}\0`)) pids.push(Number(entry));
  }
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  if (pids.length > 0) await delay(300);
}

async function unmountUnder(root: string): Promise<void> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const points = mountinfo.split('\n').map((l) => l.split(' ')[4] ?? '').filter((p) => p.startsWith(`${root}/`));
  for (const p of points.sort((a, b) => b.length - a.length)) {
    await run('umount', ['-l', p], process.env, { timeoutMs: 10_000 }).catch(() => undefined);
  }
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.trim().split('\n').filter((l) => /level=(error|fatal)|failed|Error/i.test(l));
  return (lines.slice(-3).join(' | ') || text.trim().split('\n').slice(-3).join(' | ')).slice(0, 600);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms).unref(); });
}
