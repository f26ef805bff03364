import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot, fixturePath } from '../../helpers/fixture-path.js';
import { FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack } from '../../fakes/slack-api.js';
import { SIGNING_SECRET } from '../../helpers/slack-harness.js';
import { httpGet } from '../../helpers/http-get.js';

const main = path.join(projectRoot, 'dist', 'src', 'main.js');
const dir = mkdtempSync(path.join(tmpdir(), 'why137-serve-'));
const configFile = path.join(dir, 'why137.yaml');
writeFileSync(configFile, `store:\n  path: ${path.join(dir, 'why137.sqlite')}\n`);
// Only what serve needs: no inherited SLACK_* from the developer's shell.
const baseEnv = { PATH: process.env.PATH ?? '', HOME: dir, WHY137_CONFIG: configFile };

/** Runs `why137 serve` until it exits (asynchronously: the fake Slack answers from this process). */
function serveOnce(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [main, 'serve'], { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.once('close', (code) => { clearTimeout(timer); resolve({ code, stderr, stdout }); }));
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

// Status and body only: these tests compare the whole answer.
const get = async (url: string): Promise<{ status: number; body: string }> => { const { status, body } = await httpGet(url); return { status, body }; };

describe('why137 serve (the built CLI)', () => {
  let slack: FakeSlack;
  beforeAll(async () => { slack = await startFakeSlack(); });
  afterAll(async () => { await slack.close(); });

  test('a missing setting stops start-up with one line saying where to copy it from (exit 2)', async () => {
    const r = await serveOnce({ SLACK_BOT_TOKEN: FAKE_BOT_TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('why137: SLACK_SIGNING_SECRET is missing: copy it from Basic Information → App Credentials in your Slack app settings (https://api.slack.com/apps → your app) (why137_config_invalid)\n');
    const wrong = await serveOnce({ SLACK_BOT_TOKEN: 'xapp-1-A0-1-abc', SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(wrong.stderr).toMatch(/^why137: SLACK_BOT_TOKEN starts with "xapp-…", not xoxb-: use the Bot User OAuth Token from OAuth & Permissions .*\(why137_config_invalid\)\n$/);
  });

  test('a token Slack refuses stops start-up in one line, without printing the token', async () => {
    const r = await serveOnce({ SLACK_BOT_TOKEN: 'xoxb-999-revoked-token-value', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('why137: SLACK_BOT_TOKEN was refused by Slack (invalid_auth): copy the current Bot User OAuth Token from OAuth & Permissions in your Slack app settings, reinstalling the app if it was revoked (why137_config_invalid)\n');
    expect(r.stderr + r.stdout).not.toContain('revoked-token-value');
  });

  test('starts in HTTP mode on PORT, answers /healthz, logs JSON without secrets, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [main, 'serve'], {
      env: { ...baseEnv, SLACK_BOT_TOKEN: FAKE_BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 200 && !stdout.includes(`listening on ${port}`); i++) await new Promise((r) => setTimeout(r, 50));
      expect(stdout).toContain(`listening on ${port}`);
      expect(await get(`http://127.0.0.1:${port}/healthz`)).toEqual({ status: 200, body: 'ok' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['bot token verified', `listening on ${port}`, 'shutting down', 'stopped']));
    expect(stdout).not.toContain(FAKE_BOT_TOKEN);
    expect(stdout).not.toContain(SIGNING_SECRET);
  });

  test('why137 explain does not load Bolt or the Slack SDK', () => {
    const script = `
      const { runCli } = await import(${JSON.stringify(path.join(projectRoot, 'dist', 'src', 'cli', 'run-cli.js'))});
      const { Writable } = await import('node:stream');
      const sink = new Writable({ write(_c, _e, cb) { cb(); } });
      const code = await runCli(['explain', ${JSON.stringify(fixturePath('docker', 'inspect-oom-killed-cgroupv1.json'))}], { stdout: sink, stderr: sink });
      const { createRequire } = await import('node:module');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      process.stdout.write(JSON.stringify({ code, slack: loaded.filter((k) => k.includes('@slack')).length }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: projectRoot });
    expect(JSON.parse(r.stdout)).toEqual({ code: 0, slack: 0 });
  });
});
