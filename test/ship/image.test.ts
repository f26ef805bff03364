import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithComponents } from '../helpers/component.js';
import { startDockerd, type Dockerd } from '../helpers/dockerd.js';
import { projectRoot } from '../helpers/fixture-path.js';
import { startFakeSlack, FAKE_BOT_TOKEN, type FakeSlack } from '../fakes/slack-api.js';

// The real thing, once: scripts/build-base-image.sh imports node:24-bookworm-slim into a private dockerd
// (debootstrap from Debian's mirror, Node and npm from the npm registry), the Dockerfile builds on it without
// pulling, and the image runs `why137 serve` under a 256 MiB limit against a loopback Slack.
// NOTE: the private dockerd has no bridge (--bridge=none): the build and the container use the host's
// network, so npm reaches the registry and the bot reaches the fake Slack; PORT is a free port.

const IMAGE = 'why137:image-test';
const CONTAINER = 'why137-image-test';
const MiB = 1024 * 1024;
const BUILD_TIMEOUT_MS = 30 * 60_000;
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef'; // 32 hex, the shape Slack's signing secrets have

interface Run { code: number; stdout: string; stderr: string }

/** Runs a command to completion (or kills it at the timeout), keeping both outputs. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { stderr += `\n(killed after ${timeoutMs} ms)`; child.kill('SIGKILL'); }, timeoutMs);
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    child.once('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const tail = (text: string, lines = 25) => text.trim().split('\n').slice(-lines).join('\n');
const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

describeWithComponents('the container image (scripts/build-base-image.sh, Dockerfile)', ['dockerd', 'docker', 'busybox', 'debootstrap', 'npm'], () => {
  let d: Dockerd | undefined;
  let slack: FakeSlack | undefined;
  let dir: string;
  let port: number;
  const timings: string[] = [];
  const docker = (args: string[], timeoutMs = 120_000) => d!.docker(args, { timeoutMs });
  const exec = (...cmd: string[]) => docker(['exec', CONTAINER, ...cmd]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'why137-image-'));
    d = await startDockerd();
    writeFileSync(path.join(dir, 'config.json'), '{}\n');
    const cli: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: `unix://${d.socket}`, DOCKER_CONFIG: dir, DOCKER_CLI_HINTS: 'false' };

    let t = Date.now();
    const base = await run('bash', [path.join(projectRoot, 'scripts', 'build-base-image.sh')], cli, BUILD_TIMEOUT_MS);
    if (base.code !== 0) throw new Error(`scripts/build-base-image.sh failed (${base.code}):\n${tail(base.stderr)}`);
    timings.push(`base image ${seconds(t)} s (${base.stderr.includes('reusing') ? 'cached rootfs' : 'debootstrap'})`);

    t = Date.now();
    const built = await docker(['build', '--pull=false', '--network', 'host',
      // The base trusts this machine's local CAs (a TLS-inspecting proxy's); npm in the build needs them too.
      '--build-arg', 'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt',
      '-t', IMAGE, projectRoot], BUILD_TIMEOUT_MS);
    if (built.code !== 0) throw new Error(`docker build failed (${built.code}):\n${tail(`${built.stdout}\n${built.stderr}`, 40)}`);
    timings.push(`app image ${seconds(t)} s`);

    slack = await startFakeSlack();
    port = await freePort();
    writeFileSync(path.join(dir, 'why137.yaml'), 'store:\n  path: why137.sqlite\n');
    t = Date.now();
    const started = await docker(['run', '-d', '--name', CONTAINER, '--network', 'host', '--memory=256m',
      '-v', `${path.join(dir, 'why137.yaml')}:/etc/why137/config.yaml:ro`,
      '-e', 'WHY137_CONFIG=/etc/why137/config.yaml', '-e', `PORT=${port}`,
      '-e', `SLACK_BOT_TOKEN=${FAKE_BOT_TOKEN}`, '-e', `SLACK_SIGNING_SECRET=${SIGNING_SECRET}`, '-e', `SLACK_API_URL=${slack.apiUrl}`,
      IMAGE], 300_000);
    if (started.code !== 0) throw new Error(`docker run failed: ${started.stderr.trim()}`);
    timings.push(`container start ${seconds(t)} s`);
  }, 3 * BUILD_TIMEOUT_MS);

  afterAll(async () => {
    if (timings.length > 0) process.stderr.write(`why137 image: ${timings.join(', ')}\n`);
    await d?.stop();
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('the image: uid 10001, the start script as entry point, serve by default, a HEALTHCHECK with node', async () => {
    const inspected = await docker(['image', 'inspect', IMAGE, '--format', '{{json .Config}}']);
    const config = JSON.parse(inspected.stdout) as { User: string; Entrypoint: string[]; Cmd: string[]; Healthcheck: { Test: string[] }; ExposedPorts: Record<string, unknown> };
    expect(config.User).toBe('10001:10001');
    expect(config.Entrypoint).toEqual(['/app/scripts/container-start.sh']);
    expect(config.Cmd).toEqual(['serve']);
    expect(config.Healthcheck.Test).toEqual(['CMD', 'node', '/app/scripts/container-healthcheck.js']);
    expect(Object.keys(config.ExposedPorts)).toEqual(['3000/tcp']);
  });

  test('GET /healthz answers 200 (the bot verified its token with the fake Slack first)', async () => {
    const deadline = Date.now() + 90_000;
    let last = '';
    while (Date.now() < deadline) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch((err: Error) => err);
      if (!(res instanceof Error) && res.status === 200) break;
      last = res instanceof Error ? res.message : `HTTP ${res.status}`;
      const state = await docker(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', CONTAINER]);
      if (!state.stdout.startsWith('running')) throw new Error(`the container stopped (${state.stdout.trim()}):\n${tail((await docker(['logs', CONTAINER])).stderr + (await docker(['logs', CONTAINER])).stdout)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect({ status: res.status, last }).toMatchObject({ status: 200 });
    expect(slack!.callsTo('auth.test')).toHaveLength(1);
    // The HEALTHCHECK's own command, run in the container.
    expect((await exec('node', '/app/scripts/container-healthcheck.js')).code).toBe(0);
  });

  test('PID 1 is node, running serve as uid 10001', async () => {
    const status = await exec('cat', '/proc/1/status');
    expect(status.stdout).toMatch(/^Uid:\s+10001\s+10001\s+10001\s+10001$/m);
    expect(status.stdout).toMatch(/^Gid:\s+10001\s/m);
    const cmdline = (await exec('cat', '/proc/1/cmdline')).stdout.split('\0').filter(Boolean);
    expect(cmdline).toEqual(['node', '/app/dist/src/main.js', 'serve']);
    expect((await exec('id', '-u')).stdout.trim()).toBe('10001');
  });

  test('the heap is sized from the container\'s own 256 MiB limit: --max-old-space-size=192', async () => {
    const environ = (await exec('cat', '/proc/1/environ')).stdout.split('\0');
    expect(environ).toContain(`NODE_OPTIONS=--max-old-space-size=${(256 * MiB * 0.75) / MiB}`);
    const logs = await docker(['logs', CONTAINER]);
    const start = logs.stderr.split('\n').find((l) => l.includes('container-start'));
    expect(JSON.parse(start!)).toMatchObject({ level: 30, msg: 'memory limit 256 MiB: --max-old-space-size=192 (75%)' });
  });

  test('production files only: compiled src, runbooks, no dev dependencies, no tests, code read-only to the app', async () => {
    const r = await exec('sh', '-c', [
      'test -f dist/src/main.js && test -d runbooks && test -f package.json',
      'test ! -e node_modules/typescript && test ! -e node_modules/jest && test ! -e dist/test && test ! -e src && test ! -e .git',
      'test -w /var/lib/why137 && test -f /var/lib/why137/why137.sqlite',
      '! test -w dist/src/main.js',
    ].join(' && '));
    expect(r).toMatchObject({ code: 0 });
  });

  test('Docker reports the container healthy', async () => {
    // The first check runs one --interval (30 s) after the start.
    const deadline = Date.now() + 100_000;
    let health = '';
    while (Date.now() < deadline) {
      health = (await docker(['inspect', '--format', '{{.State.Health.Status}}', CONTAINER])).stdout.trim();
      if (health !== 'starting') break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    expect(health).toBe('healthy');
  }, 120_000);
});
