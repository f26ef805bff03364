import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../helpers/fixture-path.js';

// scripts/container-start.sh against fake cgroup trees (WHY137_CGROUP_ROOT), with a fake `node` first on
// PATH that prints what it was started with: the heap flag it derives, the NODE_OPTIONS it keeps, the args.
const script = path.join(projectRoot, 'scripts', 'container-start.sh');
const MiB = 1024 * 1024;
const V1_NO_LIMIT = '9223372036854771712';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'why137-start-'));
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(path.join(dir, 'bin', 'node'), '#!/bin/sh\nprintf "NODE_OPTIONS=%s\\n" "${NODE_OPTIONS-(unset)}"\nfor a in "$@"; do printf "ARG=%s\\n" "$a"; done\n');
  chmodSync(path.join(dir, 'bin', 'node'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started { nodeOptions: string; args: string[]; log: { level: number; msg: string } }

/** A cgroup tree: v2 `memory.max`, or v1 `memory/memory.limit_in_bytes`, or none. */
function cgroupRoot(name: string, files: Record<string, string>): string {
  const root = path.join(dir, name);
  for (const [file, value] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), `${value}\n`);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

function start(root: string, args: string[] = [], nodeOptions?: string): Started {
  const env: NodeJS.ProcessEnv = { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, WHY137_CGROUP_ROOT: root };
  if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
  const r = spawnSync('sh', [script, ...args], { env, encoding: 'utf8', timeout: 10_000 });
  expect(r.status).toBe(0);
  const out = r.stdout.split('\n').filter(Boolean);
  const logLines = r.stderr.split('\n').filter(Boolean);
  expect(logLines).toHaveLength(1);
  return {
    nodeOptions: out.find((l) => l.startsWith('NODE_OPTIONS='))!.slice('NODE_OPTIONS='.length),
    args: out.filter((l) => l.startsWith('ARG=')).map((l) => l.slice(4)),
    log: JSON.parse(logLines[0]!) as Started['log'],
  };
}

describe('scripts/container-start.sh (the image entry point)', () => {
  test.each([
    ['cgroup v2, 256 MiB', { 'memory.max': String(256 * MiB) }, '--max-old-space-size=192'],
    ['cgroup v1, 512 MiB', { 'memory/memory.limit_in_bytes': String(512 * MiB) }, '--max-old-space-size=384'],
    ['cgroup v2, 1 GiB and a bit (rounds down)', { 'memory.max': String(1024 * MiB + 4095) }, '--max-old-space-size=768'],
  ])('%s: NODE_OPTIONS gets 75%% of the limit', (_name, files, flag) => {
    const s = start(cgroupRoot(`limit-${flag}`, files));
    expect(s.nodeOptions).toBe(flag);
    expect(s.log.level).toBe(30);
    expect(s.log.msg).toContain(flag);
  });

  test.each([
    ['cgroup v2 "max"', { 'memory.max': 'max' }],
    ['cgroup v1 unlimited (PAGE_COUNTER_MAX pages)', { 'memory/memory.limit_in_bytes': V1_NO_LIMIT }],
    ['no cgroup files', {}],
  ])('%s: no limit, so Node keeps its default heap', (name, files) => {
    const s = start(cgroupRoot(`none-${name.replace(/\W+/g, '-')}`, files));
    expect(s.nodeOptions).toBe('(unset)');
    expect(s.log.msg).toBe("no memory limit: Node's default heap size");
  });

  test('keeps the other NODE_OPTIONS flags and appends the heap size', () => {
    const s = start(cgroupRoot('keep', { 'memory.max': String(256 * MiB) }), [], '--enable-source-maps --require /app/trace.cjs');
    expect(s.nodeOptions).toBe('--enable-source-maps --require /app/trace.cjs --max-old-space-size=192');
  });

  test('an explicit --max-old-space-size wins and is not duplicated', () => {
    const s = start(cgroupRoot('explicit', { 'memory.max': String(256 * MiB) }), [], '--enable-source-maps --max-old-space-size=100');
    expect(s.nodeOptions).toBe('--enable-source-maps --max-old-space-size=100');
    expect(s.log.msg).toContain('kept it');
  });

  test('runs dist/src/main.js serve by default; arguments replace serve', () => {
    const root = cgroupRoot('args', { 'memory.max': String(256 * MiB) });
    const main = path.join(projectRoot, 'dist', 'src', 'main.js');
    expect(start(root).args).toEqual([main, 'serve']);
    expect(start(root, ['explain', '--json', '-']).args).toEqual([main, 'explain', '--json', '-']);
  });
});
