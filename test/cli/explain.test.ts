import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixturePath, projectRoot } from '../helpers/fixture-path.js';

const main = path.join(projectRoot, 'dist', 'src', 'main.js');

function why137(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [main, ...args], { input, encoding: 'utf8', cwd: projectRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('why137 explain (the built CLI)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-cli-'));

  test('prints a verdict and exits 0', () => {
    const r = why137(['explain', fixturePath('docker', 'inspect-oom-killed-cgroupv1.json'), fixturePath('kernel', 'recorded-dmesg-docker-oom-cgroupv1-kernel6.18.txt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cgroup_oom: /);
    expect(r.stdout).toMatch(/Evidence/);
    expect(r.stdout).toMatch(/docker update --memory/);
  });

  test('--json keeps the contract fields', () => {
    const r = why137(['explain', '--json', fixturePath('kubernetes', 'pod-oomkilled-crashloop.json')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['cause', 'factors', 'confidence', 'summary', 'evidence', 'proposals']) expect(j).toHaveProperty(k);
    expect(j.cause).toBe('cgroup_oom');
    expect(['high', 'medium', 'low']).toContain(j.confidence);
    const ev = j.evidence as { file: string; at: string }[];
    expect(ev[0]!.file).toContain('pod-oomkilled-crashloop.json');
    expect(ev[0]!.at).toBeTruthy();
  });

  test('- reads standard input', () => {
    const r = why137(['explain', '--json', '-'], fixtureText('lambda', 'log-signal-killed.txt'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).cause).toBe('lambda_oom');
  });

  test('unknown is still exit 0, with the next command', () => {
    const r = why137(['explain', '--json', fixturePath('docker', 'inspect-no-memory-limit-killed.json')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.cause).toBe('unknown');
    expect(j.next.map((n: { command: string }) => n.command).join('\n')).toMatch(/dmesg/);
  });

  const bad: [string, () => string, RegExp][] = [
    ['a missing file', () => path.join(dir, 'nope.json'), /nope\.json: no such file/],
    ['an empty file', () => write('empty.json', ''), /empty\.json: is empty; expected/],
    ['binary data', () => write('bin.dat', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0, 0, 255, 254])), /bin\.dat: is binary data/],
    ['malformed JSON', () => write('bad.json', '{"Id": "abc", "State": {'), /bad\.json: malformed JSON/],
    ['JSON of no known shape', () => write('shape.json', '{"hello": "world"}'), /shape\.json: JSON of an unrecognised shape; expected/],
    ['plain text of no known kind', () => write('notes.txt', 'the pod died again, please look\n'), /notes\.txt: text of an unrecognised kind/],
    ['a directory', () => { const d = path.join(dir, 'adir'); mkdirSync(d, { recursive: true }); return d; }, /adir: is a directory/],
    ['an unreadable file', () => { const f = write('secret.json', '{}'); chmodSync(f, 0); return f; }, /secret\.json: (permission denied|JSON of an unrecognised shape)/],
  ];
  test.each(bad)('%s: exit 2 and one line naming the file', (_name, make, message) => {
    const file = make();
    const r = why137(['explain', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('usage errors are one line', () => {
    for (const args of [['explain'], ['frobnicate'], ['explain', '--bogus', 'x']]) {
      const r = why137(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  test('no secret value from a pod spec reaches the output', () => {
    const r = why137(['explain', '--json', fixturePath('kubernetes', 'pod-env-secret-values.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('hunter2');
  });

  function write(name: string, content: string | Buffer): string {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    return f;
  }
});

function fixtureText(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}
