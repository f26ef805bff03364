import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { pickRunbook } from '../../src/runbooks/pick-runbook.js';
import type { Source } from '../../src/sources/source.js';
import type { SourceRegistry } from '../../src/sources/index.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { projectRoot } from '../helpers/fixture-path.js';
import { sources as registered } from '../../src/sources/index.js';

const fake = (name: string, params: z.ZodType = z.object({}).strict()): Source => ({
  name, reads: `what ${name} reads`, params: params as z.ZodType<Record<string, unknown>>,
  collect: async () => ({ artifacts: [], facts: {}, calls: 0 }),
});
const sources: SourceRegistry = {
  'a.one': fake('a.one', z.object({ limit: z.number().int().positive().default(10) }).strict()),
  'b.two': fake('b.two'),
};

const root = mkdtempSync(path.join(tmpdir(), 'why137-runbooks-'));
let n = 0;
/** A directory holding the given files. */
function dir(files: Record<string, string>): string {
  const d = path.join(root, `d${++n}`);
  mkdirSync(d);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(d, f), text);
  return d;
}
const empty = dir({});

const VALID = `name: mine
target: docker
steps:
  - id: first
    source: a.one
    params: { limit: 5 }
    timeout: 5s
  - id: second
    source: b.two
    needs: [first]
    timeout: 1500ms
    optional: true
`;

describe('loadRunbooks', () => {
  test('a valid runbook: durations in ms, params parsed by the source schema, defaults filled', () => {
    const rbs = loadRunbooks({ sources, builtinDir: dir({ 'mine.yaml': VALID }) });
    const rb = rbs.get('mine')!;
    expect(rb.target).toBe('docker');
    expect(rb.steps).toEqual([
      { id: 'first', source: 'a.one', params: { limit: 5 }, timeoutMs: 5000, needs: [], optional: false },
      { id: 'second', source: 'b.two', params: {}, timeoutMs: 1500, needs: ['first'], optional: true },
    ]);
  });

  const step = (extra: string): string => `name: bad\ntarget: docker\nsteps:\n  - id: first\n    source: a.one\n    timeout: 5s\n${extra}`;
  const cases: [string, string, RegExp][] = [
    ['YAML that does not parse', 'name: [bad\n', /bad\.yaml: line \d+: .*; expected YAML$/],
    ['a list at the top', '- a\n', /bad\.yaml: \(top level\): expected object, received array$/],
    ['no name', 'target: docker\nsteps: []\n', /bad\.yaml: name: expected string, received undefined$/],
    ['a bad name', 'name: My Runbook\ntarget: docker\nsteps: []\n', /bad\.yaml: name: expected a runbook name/],
    ['an unknown target', 'name: bad\ntarget: nomad\nsteps: []\n', /bad\.yaml: target: expected one of "k8s"\|"k8s-workload"\|"ecs"/],
    ['no steps', 'name: bad\ntarget: docker\nsteps: []\n', /bad\.yaml: steps: expected at least one step$/],
    ['an unknown key', 'name: bad\ntarget: docker\nowner: me\nsteps: [{ id: a, source: a.one, timeout: 1s }]\n', /bad\.yaml: owner: unknown key/],
    ['an unknown step key', step('    retries: 3\n'), /bad\.yaml: steps\[0\]\.retries: unknown key/],
    ['a step without a timeout', 'name: bad\ntarget: docker\nsteps:\n  - id: first\n    source: a.one\n', /bad\.yaml: steps\[0\]\.timeout: expected string, received undefined$/],
    ['a bad step id', 'name: bad\ntarget: docker\nsteps:\n  - id: First Step\n    source: a.one\n    timeout: 5s\n', /bad\.yaml: steps\[0\]\.id: expected a step id/],
    ['an unknown source', step('  - id: second\n    source: c.three\n    timeout: 5s\n'), /bad\.yaml: steps\[1\]\.source: unknown source "c\.three"; expected one of: a\.one, b\.two$/],
    ['a param of the wrong type', step('    params: { limit: lots }\n'), /bad\.yaml: steps\[0\]\.params\.limit: expected number, received string \(params of a\.one\)$/],
    ['an unknown param', step('    params: { lmit: 5 }\n'), /bad\.yaml: steps\[0\]\.params\.lmit: unknown param; expected only the params a\.one takes/],
    ['a duplicate step id', step('  - id: first\n    source: b.two\n    timeout: 5s\n'), /bad\.yaml: steps\[1\]\.id: duplicate step id "first"; expected unique ids$/],
    ['a duration without a unit', step('').replace('timeout: 5s', 'timeout: "5"'), /bad\.yaml: steps\[0\]\.timeout: "5" is not a duration; expected e\.g\. 500ms, 5s or 2m/],
    ['a duration in words', step('').replace('timeout: 5s', 'timeout: 5 sec'), /steps\[0\]\.timeout: "5 sec" is not a duration/],
    ['a zero duration', step('').replace('timeout: 5s', 'timeout: 0s'), /steps\[0\]\.timeout: "0s" is not a duration/],
    ['a duration over ten minutes', step('').replace('timeout: 5s', 'timeout: 11m'), /steps\[0\]\.timeout: "11m" is not a duration.*at most 10m/],
    ['a numeric duration', step('').replace('timeout: 5s', 'timeout: 5'), /steps\[0\]\.timeout: expected string, received number/],
    ['an unknown need', step('  - id: second\n    source: b.two\n    needs: [frist]\n    timeout: 5s\n'), /bad\.yaml: steps\[1\]\.needs\[0\]: unknown step "frist"; expected one of: first$/],
    ['a need listed twice', step('  - id: second\n    source: b.two\n    needs: [first, first]\n    timeout: 5s\n'), /steps\[1\]\.needs\[1\]: "first" is listed twice/],
    ['a step that needs itself', step('    needs: [first]\n'), /bad\.yaml: steps\[0\]\.needs: cycle first -> first; expected needs without cycles$/],
    ['a cycle', 'name: bad\ntarget: docker\nsteps:\n  - { id: a, source: a.one, timeout: 1s, needs: [c] }\n  - { id: b, source: b.two, timeout: 1s, needs: [a] }\n  - { id: c, source: b.two, timeout: 1s, needs: [b] }\n',
      /bad\.yaml: steps\[0\]\.needs: cycle a -> c -> b -> a; expected needs without cycles$/],
  ];
  test.each(cases)('%s → why137_runbook_invalid naming the file and the field', (_name, text, why) => {
    const d = dir({ 'bad.yaml': text });
    let err: unknown;
    try { loadRunbooks({ sources, builtinDir: d }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Why137Error);
    expect((err as Why137Error).code).toBe('why137_runbook_invalid');
    expect((err as Why137Error).message.startsWith(path.join(d, 'bad.yaml'))).toBe(true);
    expect((err as Why137Error).message).toMatch(why);
    expect((err as Why137Error).message).not.toContain('\n');
  });

  test('two runbooks with one name in a directory', () => {
    const d = dir({ 'a.yaml': VALID, 'b.yaml': VALID });
    expect(() => loadRunbooks({ sources, builtinDir: d })).toThrow(new RegExp(`b\\.yaml: name: "mine" is also the name of .*a\\.yaml`));
  });

  test('the user directory adds runbooks and replaces a built-in of the same name', () => {
    const builtin = dir({ 'mine.yaml': VALID, 'host.yaml': 'name: host\ntarget: host\nsteps: [{ id: k, source: b.two, timeout: 30s }]\n' });
    const user = dir({ 'mine.yml': VALID.replace('timeout: 5s', 'timeout: 9s'), 'extra.yaml': VALID.replace('name: mine', 'name: extra') });
    const rbs = loadRunbooks({ sources, builtinDir: builtin, userDir: user });
    expect([...rbs.keys()].sort()).toEqual(['extra', 'host', 'mine']);
    expect(rbs.get('mine')!.steps[0]!.timeoutMs).toBe(9000);
    expect(rbs.get('mine')!.file).toBe(path.join(user, 'mine.yml'));
    expect(() => loadRunbooks({ sources, builtinDir: builtin, userDir: dir({ 'bad.yaml': 'name: mine\n' }) })).toThrow(/bad\.yaml: target: /);
  });

  test('a missing user directory is refused', () => {
    expect(() => loadRunbooks({ sources, builtinDir: empty, userDir: path.join(root, 'nope') })).toThrow(/runbooks\.dir .*nope: no such directory; expected a directory of runbook YAML files/);
  });

  test('pickRunbook: the kind\'s default, --runbook, and refusals', () => {
    const rbs = loadRunbooks({ sources, builtinDir: dir({ 'docker-container.yaml': VALID.replace('name: mine', 'name: docker-container'), 'mine.yaml': VALID }) });
    expect(pickRunbook(rbs, 'docker').name).toBe('docker-container');
    expect(pickRunbook(rbs, 'docker', 'mine').name).toBe('mine');
    expect(() => pickRunbook(rbs, 'docker', 'nope')).toThrow(/--runbook nope: no such runbook; expected one of: docker-container, mine/);
    expect(() => pickRunbook(rbs, 'k8s', 'mine')).toThrow(/--runbook mine: it is for docker targets, not k8s/);
    expect(() => pickRunbook(rbs, 'lambda')).toThrow(/no runbook for lambda targets/);
  });
});

describe('the built-in runbooks', () => {
  const names = ['docker.inspect', 'docker.events', 'ssh.kernel-log', 'kubernetes.pod', 'kubernetes.events', 'kubernetes.node', 'kubernetes.owner',
    'kubernetes.workload-pod', 'ecs.tasks', 'ecs.service-task', 'ecs.task-definition', 'ecs.container-instance', 'logs.insights', 'lambda.config'];
  const all: SourceRegistry = Object.fromEntries(names.map((s) => [s, fake(s, z.object({}).passthrough())]));

  test('validate, one per target kind', () => {
    const rbs = loadRunbooks({ sources: all, builtinDir: path.join(projectRoot, 'runbooks') });
    expect(Object.fromEntries([...rbs.values()].map((r) => [r.target, r.name]))).toEqual({
      'k8s': 'kubernetes-pod', 'k8s-workload': 'kubernetes-workload', 'ecs': 'ecs-task', 'ecs-service': 'ecs-service',
      'docker': 'docker-container', 'lambda': 'lambda-function', 'host': 'host',
    });
    for (const kind of ['k8s', 'k8s-workload', 'ecs', 'ecs-service', 'docker', 'lambda', 'host'] as const) expect(pickRunbook(rbs, kind).target).toBe(kind);
  });

  test('name only sources the registry knows', () => {
    const rbs = loadRunbooks({ sources: all, builtinDir: path.join(projectRoot, 'runbooks') });
    const used = new Set([...rbs.values()].flatMap((r) => r.steps.map((s) => s.source)));
    expect([...used].sort()).toEqual([...names].sort());
  });

  test('validate against the real registry, params and all (what `why137 diagnose` loads at start-up)', () => {
    const rbs = loadRunbooks({ sources: registered });
    expect(rbs.size).toBe(7);
    expect(Object.keys(registered).sort()).toEqual([...names].sort());
  });
});
