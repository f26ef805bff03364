import { readFileSync } from 'node:fs';
import { runRunbook, type StepReport } from '../../src/runbooks/run-runbook.js';
import type { SourceRegistry } from '../../src/sources/index.js';
import type { SourceUnavailableEvidence } from '../../src/diagnosis/evidence.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { awsError, fakeSource, noClients, output, runbook, sleep, untilAborted } from './fake-sources.js';

const target = { kind: 'docker', container: 'web' } as const;
const unavailable = (ev: { kind: string }[]): SourceUnavailableEvidence[] => ev.filter((e): e is SourceUnavailableEvidence => e.kind === 'source.unavailable');
const step = (steps: StepReport[], id: string): StepReport => steps.find((s) => s.id === id)!;

describe('runRunbook', () => {
  test('independent steps run concurrently: both start before either finishes', async () => {
    const order: string[] = [];
    const slow = (name: string) => fakeSource(name, async () => { order.push(`start ${name}`); await sleep(200); order.push(`end ${name}`); return output(); });
    const sources: SourceRegistry = { a: slow('a'), b: slow('b') };
    const r = await runRunbook(runbook([['a', 'a', []], ['b', 'b', []]]), { target, clients: noClients, sources });
    expect(r.steps.map((s) => s.status)).toEqual(['ok', 'ok']);
    expect(order.slice(0, 2).sort()).toEqual(['start a', 'start b']);
    expect(order.slice(2).sort()).toEqual(['end a', 'end b']);
  });

  test('a step waits for its needs and receives their outputs; others do not wait for it', async () => {
    const order: string[] = [];
    let seen: Record<string, unknown> = {};
    const sources: SourceRegistry = {
      a: fakeSource('a', async () => { order.push('a'); await sleep(20); order.push('a done'); return output({ nodeName: 'n1' }); }),
      b: fakeSource('b', async () => { order.push('b'); await sleep(5); order.push('b done'); return output({ podUid: 'u1' }); }),
      c: fakeSource('c', async (ctx) => { order.push('c'); seen = Object.fromEntries(Object.entries(ctx.needs).map(([k, v]) => [k, v.facts])); return output(); }),
      d: fakeSource('d', async () => { order.push('d'); return output(); }),
    };
    await runRunbook(runbook([['c', 'c', ['a', 'b']], ['a', 'a', []], ['b', 'b', []], ['d', 'd', []]]), { target, clients: noClients, sources });
    expect(order.indexOf('c')).toBeGreaterThan(order.indexOf('a done'));
    expect(order.indexOf('c')).toBeGreaterThan(order.indexOf('b done'));
    expect(order.indexOf('d')).toBeLessThan(order.indexOf('a done'));
    expect(seen).toEqual({ a: { nodeName: 'n1' }, b: { podUid: 'u1' } });
  });

  test('a timeout aborts the step\'s signal and becomes source.unavailable timeout saying what is missing', async () => {
    let aborted: unknown;
    const sources: SourceRegistry = {
      slow: fakeSource('slow', async (ctx) => { try { return await untilAborted(ctx.signal); } finally { aborted = ctx.signal.reason; } }, 'the node\'s kernel log'),
    };
    const r = await runRunbook(runbook([['kernel', 'slow', [], 50]]), { target, clients: noClients, sources });
    expect((aborted as Error).name).toBe('TimeoutError');
    expect(step(r.steps, 'kernel')).toMatchObject({ status: 'failed', fault: 'timeout', detail: 'no answer within 50ms', calls: 1 });
    expect(unavailable(r.evidence)).toEqual([{
      kind: 'source.unavailable', cite: { file: 'source:slow', at: 'step kernel' }, subject: {},
      source: 'slow', fault: 'timeout', detail: 'no answer within 50ms', missing: 'the node\'s kernel log',
    }]);
  });

  test('a source that ignores its signal still ends at the timeout', async () => {
    const sources: SourceRegistry = { stuck: fakeSource('stuck', () => new Promise(() => {})) };
    const r = await runRunbook(runbook([['s', 'stuck', [], 30]]), { target, clients: noClients, sources });
    expect(step(r.steps, 's')).toMatchObject({ status: 'failed', fault: 'timeout' });
  });

  test.each([
    ['AWS AccessDeniedException', () => awsError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/x is not authorized to perform: ecs:DescribeTasks'), 'denied'],
    ['Kubernetes 403', () => Object.assign(new Error('pods "web" is forbidden'), { code: 403 }), 'denied'],
    ['dmesg_restrict', () => new Error('dmesg: read kernel buffer failed: Operation not permitted'), 'denied'],
    ['ssh authentication', () => Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), 'denied'],
    ['ClusterNotFoundException', () => awsError('ClusterNotFoundException', 'Cluster not found.'), 'not_found'],
    ['Kubernetes 404', () => Object.assign(new Error('HTTP-Code: 404'), { code: 404 }), 'not_found'],
    ['No such container', () => Object.assign(new Error('(HTTP code 404) no such container - No such container: web'), { statusCode: 404 }), 'not_found'],
    ['ECONNREFUSED', () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }), 'unreachable'],
    ['fetch failed (ENOTFOUND)', () => new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.example'), { code: 'ENOTFOUND' }) }), 'unreachable'],
    ['socket hang up', () => new Error('socket hang up'), 'unreachable'],
    ['a plain bug', () => new TypeError('Cannot read properties of undefined (reading \'status\')'), 'error'],
  ])('%s → source.unavailable %s, dependants skipped', async (_name, makeError, fault) => {
    const sources: SourceRegistry = {
      failing: fakeSource('failing', async () => { throw makeError(); }, 'the thing'),
      after: fakeSource('after', async () => output(), 'the later thing'),
    };
    const r = await runRunbook(runbook([['one', 'failing', []], ['two', 'after', ['one']]]), { target, clients: noClients, sources });
    expect(step(r.steps, 'one')).toMatchObject({ status: 'failed', fault });
    expect(step(r.steps, 'two')).toMatchObject({ status: 'skipped', fault, calls: 0 });
    expect(unavailable(r.evidence).map((u) => [u.source, u.fault, u.missing])).toEqual([['failing', fault, 'the thing'], ['after', fault, 'the later thing']]);
    expect(unavailable(r.evidence)[0]!.detail).not.toContain('\n');
  });

  test('throttled, then answered: retried with backoff and full jitter inside the timeout', async () => {
    let attempt = 0;
    const delays: number[] = [];
    const sources: SourceRegistry = {
      tasks: fakeSource('tasks', async () => {
        attempt++;
        if (attempt === 1) throw awsError('ThrottlingException', 'Rate exceeded');
        if (attempt === 2) throw Object.assign(new Error('Too Many Requests'), { statusCode: 429 });
        return output({}, [], 1);
      }),
    };
    const r = await runRunbook(runbook([['tasks', 'tasks', []]]), {
      target, clients: noClients, sources,
      retry: { baseMs: 100, capMs: 1000, random: () => 0.5, sleep: async (ms) => { delays.push(ms); } },
    });
    expect(step(r.steps, 'tasks')).toMatchObject({ status: 'ok', calls: 3 });
    expect(delays).toEqual([50, 100]);
    expect(unavailable(r.evidence)).toEqual([]);
  });

  test('throttled until the timeout: throttled (not timeout), with the attempts made', async () => {
    let sleeps = 0;
    const sources: SourceRegistry = { logs: fakeSource('logs', async () => { throw awsError('TooManyRequestsException', 'Rate exceeded', 429); }) };
    const r = await runRunbook(runbook([['logs', 'logs', [], 50]]), {
      target, clients: noClients, sources,
      // Two quick waits, then one that lasts until the step's timeout aborts it.
      retry: { sleep: (_ms, signal) => (++sleeps <= 2 ? Promise.resolve() : untilAborted(signal)) },
    });
    const s = step(r.steps, 'logs');
    expect(s).toMatchObject({ status: 'failed', fault: 'throttled', calls: 3 });
    expect(s.detail).toMatch(/^Rate exceeded \[TooManyRequestsException\]; still throttled after 3 attempts when the 50ms timeout passed$/);
  });

  test('an optional step\'s failure is reported but does not skip the steps that need it', async () => {
    let needs: string[] = ['not run'];
    const sources: SourceRegistry = {
      config: fakeSource('config', async () => { throw awsError('AccessDeniedException', 'not authorized to perform: lambda:GetFunctionConfiguration'); }, 'the function configuration'),
      logs: fakeSource('logs', async (ctx) => { needs = Object.keys(ctx.needs); return output(); }),
    };
    const r = await runRunbook(runbook([['config', 'config', [], 1000, true], ['logs', 'logs', ['config']]]), { target, clients: noClients, sources });
    expect(r.steps.map((s) => [s.id, s.status, s.fault])).toEqual([['config', 'failed', 'denied'], ['logs', 'ok', undefined]]);
    expect(needs).toEqual([]);
    expect(unavailable(r.evidence).map((u) => u.source)).toEqual(['config']);
  });

  test('skips cascade, each saying why', async () => {
    const calls: string[] = [];
    const sources: SourceRegistry = {
      pod: fakeSource('pod', async () => { calls.push('pod'); throw Object.assign(new Error('pods "web" not found'), { code: 404 }); }),
      node: fakeSource('node', async () => { calls.push('node'); return output(); }),
      kernel: fakeSource('kernel', async () => { calls.push('kernel'); return output(); }),
    };
    const progress: string[] = [];
    const r = await runRunbook(runbook([['pod', 'pod', []], ['node', 'node', ['pod']], ['kernel', 'kernel', ['node']]]), {
      target, clients: noClients, sources, onStep: (id, status) => progress.push(`${id} ${status}`),
    });
    expect(calls).toEqual(['pod']);
    expect(progress).toEqual(['pod running', 'pod failed', 'node skipped', 'kernel skipped']);
    expect(step(r.steps, 'node').detail).toBe('not run: it needs step pod (pod), which failed (not_found)');
    expect(step(r.steps, 'kernel').detail).toBe('not run: it needs step node (node), which was skipped');
  });

  test('progress: running then the final status with its report; a throwing callback changes nothing', async () => {
    const seen: [string, string, StepReport | undefined][] = [];
    const sources: SourceRegistry = { a: fakeSource('a', async () => output({}, [], 2)) };
    const r = await runRunbook(runbook([['a', 'a', []]]), {
      target, clients: noClients, sources, onStep: (id, status, report) => { seen.push([id, status, report]); throw new Error('slack is down'); },
    });
    expect(seen.map(([id, status]) => `${id} ${status}`)).toEqual(['a running', 'a ok']);
    expect(seen[1]![2]).toMatchObject({ id: 'a', source: 'a', status: 'ok', calls: 2 });
    expect(r.steps[0]!.status).toBe('ok');
  });

  test('artifacts are parsed by the file parsers, named uniquely, cited, and kept raw for --save-artifacts', async () => {
    const pod = readFileSync(fixturePath('kubernetes', 'pod-oomkilled-crashloop.json'), 'utf8');
    const node = readFileSync(fixturePath('kubernetes', 'node-memory-pressure.json'), 'utf8');
    const sources: SourceRegistry = {
      pod: fakeSource('pod', async () => output({}, [{ name: 'pod.json', content: pod }])),
      again: fakeSource('again', async () => output({}, [{ name: 'pod.json', content: pod }, { name: '../node.json', content: node }, { name: 'empty.txt', content: ' \n' }])),
    };
    const r = await runRunbook(runbook([['pod', 'pod', []], ['second', 'again', []]]), { target, clients: noClients, sources });
    expect(Object.keys(r.artifacts)).toEqual(['node.json', 'pod.json', 'second-pod.json']);
    expect(r.artifacts['pod.json']).toBe(pod);
    expect(r.inputs).toEqual([
      { file: 'source:again/node.json', kind: 'kubernetes.node' },
      { file: 'source:pod/pod.json', kind: 'kubernetes.pod' },
      { file: 'source:again/second-pod.json', kind: 'kubernetes.pod' },
    ]);
    expect(r.evidence.some((e) => e.kind === 'container.state' && e.cite.file === 'source:pod/pod.json')).toBe(true);
    expect(r.evidence.some((e) => e.kind === 'node')).toBe(true);
  });

  test('an artifact no parser reads is kept aside, not reported; a broken one is reported invalid', async () => {
    const sources: SourceRegistry = {
      owner: fakeSource('owner', async () => output({}, [{ name: 'owner.json', content: '{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web"}}' }])),
      broken: fakeSource('broken', async () => output({}, [{ name: 'pod.json', content: '{"kind": "Pod", "apiVersion": "v1", ' }]), 'the pod'),
    };
    const r = await runRunbook(runbook([['owner', 'owner', []], ['broken', 'broken', []]]), { target, clients: noClients, sources });
    expect(r.artifacts).toEqual({});
    expect(Object.keys(r.unparsed).sort()).toEqual(['owner.json', 'pod.json']);
    expect(unavailable(r.evidence).map((u) => [u.source, u.fault, u.missing])).toEqual([['broken', 'invalid', 'the pod']]);
    expect(unavailable(r.evidence)[0]!.detail).toMatch(/pod\.json: malformed JSON/);
  });

  test('a source returning the wrong shape fails as invalid', async () => {
    const sources: SourceRegistry = { bad: fakeSource('bad', async () => ({ artifacts: 'pod.json' }) as never) };
    const r = await runRunbook(runbook([['bad', 'bad', []]]), { target, clients: noClients, sources });
    expect(step(r.steps, 'bad')).toMatchObject({ status: 'failed', fault: 'invalid' });
  });

  test('the incident window centres on the finishedAt a needed step found, else ends now', async () => {
    const windows: Record<string, { since: Date; until: Date }> = {};
    const sources: SourceRegistry = {
      inspect: fakeSource('inspect', async (ctx) => { windows.inspect = ctx.window; return output({ finishedAt: '2026-11-23T10:00:00Z' }); }),
      events: fakeSource('events', async (ctx) => { windows.events = ctx.window; return output(); }),
    };
    const now = new Date('2026-11-23T12:00:00Z');
    await runRunbook(runbook([['inspect', 'inspect', []], ['events', 'events', ['inspect']]]), {
      target, clients: noClients, sources, now: () => now, window: { beforeMinutes: 30, afterMinutes: 5 },
    });
    expect(windows.inspect).toEqual({ since: new Date('2026-11-23T11:30:00Z'), until: now });
    expect(windows.events).toEqual({ since: new Date('2026-11-23T09:30:00Z'), until: new Date('2026-11-23T10:05:00Z') });
  });
});
