import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lambdaLog } from '../../src/artifacts/lambda-log.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const MIB = 1024 * 1024;

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split('\n')) yield line;
}

function summary(evidence: Evidence[]) {
  return {
    used: ofKind(evidence, 'lambda.invocation').map((i) => i.maxMemoryUsedMb),
    errors: ofKind(evidence, 'lambda.error').map((e) => [e.signal ?? e.exitStatus ?? null, e.errorType ?? null]),
    heaps: ofKind(evidence, 'runtime.heap').map((h) => [h.runtime, h.heapUsedMb ?? null]),
  };
}

describe('lambda.log through readArtifact', () => {
  const cases = [
    { fixture: 'log-signal-killed.txt', used: [187, 241, 298, 356, 409, 463, 512], errors: [['killed', 'Runtime.ExitError']], heaps: [], size: 512 },
    { fixture: 'log-plateau.txt', used: [212, 231, 238, 236, 239, 237, 240, 238, 239, 238], errors: [], heaps: [], size: 1024 },
    { fixture: 'log-exit-status-137-no-report.txt', used: [251], errors: [[137, 'Runtime.ExitError']], heaps: [], size: 256 },
    { fixture: 'log-node-heap-oom.txt', used: [998], errors: [['aborted', 'Runtime.ExitError']], heaps: [['node', 892.7]], size: 1024 },
    { fixture: 'log-json-format.json', used: [301, 377, 455, 512], errors: [], heaps: [], size: 512, functionName: 'invoice-pdf' },
    { fixture: 'tail-output.txt', used: [96, 104, 118, 128], errors: [['killed', 'Runtime.ExitError']], heaps: [], size: 128 },
    { fixture: 'filter-log-events.json', used: [402, 466, 530, 598, 655, 701, 768], errors: [['killed', 'Runtime.ExitError'], [null, 'Sandbox.Timedout']], heaps: [], size: 768 },
  ];

  test.each(cases)('$fixture', async ({ fixture, used, errors, heaps, size, functionName }) => {
    const file = fixturePath('lambda', fixture);
    const result = await readArtifact(file);
    expect(result.kind).toBe('lambda.log');
    expect(summary(result.evidence)).toEqual({ used, errors, heaps });
    for (const inv of ofKind(result.evidence, 'lambda.invocation')) expect(inv.memorySizeMb).toBe(size);
    // REPORT MB are MiB: samples are MB × 2^20.
    expect(ofKind(result.evidence, 'memory.sample').map((s) => [s.usedBytes, s.limitBytes])).toEqual(used.map((u) => [u * MIB, size * MIB]));
    const coverage = ofKind(result.evidence, 'log.coverage');
    expect(coverage).toHaveLength(1);
    expect(coverage[0]).toMatchObject({ log: 'lambda', lines: readFileSync(file, 'utf8').split('\n').filter((_, i, a) => i < a.length - 1 || a[i] !== '').length });
    for (const e of result.evidence) expect(e.subject).toEqual(functionName ? { platform: 'lambda', functionName } : { platform: 'lambda' });
    expect(result.evidence.every((e) => e.cite.file === file)).toBe(true);
  });

  test('the killed invocation: its error and REPORT share the request id, the REPORT excerpt is the line', async () => {
    const result = await readArtifact(fixturePath('lambda', 'log-signal-killed.txt'));
    const [err] = ofKind(result.evidence, 'lambda.error');
    const last = ofKind(result.evidence, 'lambda.invocation').at(-1)!;
    expect(err).toMatchObject({ message: 'Runtime exited with error: signal: killed', cite: { at: 'line 34' } });
    expect(last.requestId).toBe(err!.requestId);
    expect(last.cite.excerpt).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: 2731\.08 ms\tBilled Duration: 2732 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB$/);
    expect(ofKind(result.evidence, 'lambda.invocation')[0]).toMatchObject({ durationMs: 1834.27, billedDurationMs: 1835, initDurationMs: 412.09 });
  });

  test('newer REPORT fields, times from `aws logs tail`, JSON platform.report status', async () => {
    const tail = await readArtifact(fixturePath('lambda', 'tail-output.txt'));
    expect(ofKind(tail.evidence, 'lambda.invocation').at(-1)).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory', time: '2024-05-06T11:01:05.905Z' });
    expect(ofKind(tail.evidence, 'log.coverage')[0]).toMatchObject({ firstTime: '2024-05-06T11:00:00.000Z', lastTime: '2024-05-06T11:01:05.905Z' });
    const json = await readArtifact(fixturePath('lambda', 'log-json-format.json'));
    expect(ofKind(json.evidence, 'lambda.invocation').map((i) => [i.status, i.errorType ?? null])).toEqual([['success', null], ['success', null], ['success', null], ['error', 'Runtime.OutOfMemory']]);
    expect(ofKind(json.evidence, 'lambda.invocation')[0]).toMatchObject({ initDurationMs: 689.74, time: '2024-05-05T09:00:04.500Z' });
  });

  test('filter-log-events JSON: cites events[i].message, times from timestamp (ms)', async () => {
    const result = await readArtifact(fixturePath('lambda', 'filter-log-events.json'));
    const [killed, timeout] = ofKind(result.evidence, 'lambda.error');
    expect(killed).toMatchObject({ cite: { at: 'events[6].message' }, time: '2024-05-07T09:05:32.000Z' });
    expect(timeout).toMatchObject({ message: 'Task timed out after 15.02 seconds', cite: { at: 'events[8].message' } });
    // The same document compact on one line, and as JSON lines (jq -c '.events[]'), reads the same.
    const doc = JSON.parse(readFileSync(fixturePath('lambda', 'filter-log-events.json'), 'utf8'));
    const compact = await lambdaLog.parse(linesOf(JSON.stringify(doc)), 'c.json');
    const jsonLines = await lambdaLog.parse(linesOf(doc.events.map((e: unknown) => JSON.stringify(e)).join('\n')), 'l.json');
    expect(summary(compact)).toEqual(summary(result.evidence));
    expect(summary(jsonLines)).toEqual(summary(result.evidence));
  });
});

test('a filter-log-events document larger than the 64 KiB head streams as lambda.log', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-fle-big-'));
  const file = path.join(dir, 'big.json');
  const events = Array.from({ length: 3000 }, (_, i) => ({
    logStreamName: '2024/05/07/[12]3c5e7a9b1d3f5a7c9e1b3d5f7a9c1e3b', timestamp: 1715072400000 + i * 1000,
    message: `REPORT RequestId: 00000000-0000-4000-8000-${String(i).padStart(12, '0')}\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 768 MB\tMax Memory Used: ${100 + (i % 500)} MB\t\n`,
    ingestionTime: 1715072400800 + i * 1000, eventId: String(38287264974450000n + BigInt(i)).padEnd(56, '0'),
  }));
  writeFileSync(file, JSON.stringify({ events, searchedLogStreams: [] }, null, 4));
  const result = await readArtifact(file);
  expect(result.kind).toBe('lambda.log');
  const inv = ofKind(result.evidence, 'lambda.invocation');
  expect(inv).toHaveLength(3000);
  expect(inv[2999]).toMatchObject({ cite: { at: 'events[2999].message' }, time: '2024-05-07T09:49:59.000Z' });
});

describe('lambda.log detection', () => {
  test.each([
    ['START RequestId: 8f5a6b1c-1234-4a5b-9c8d-0123456789ab Version: $LATEST', true],
    ['2024-05-01T10:00:00.123000+00:00 2024/05/01/[$LATEST]abcdef0123 REPORT RequestId: 8f5a6b1c-1234-4a5b-9c8d-0123456789ab\tDuration: 1 ms', true],
    ['INIT_START Runtime Version: nodejs:20.v13\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc', true],
    ['{"time":"2024-05-05T09:00:00.101Z","type":"platform.initStart","record":{}}', true],
    ['{\n    "events": [\n        {\n            "message": "START RequestId: 8f5a6b1c-1234-4a5b-9c8d-0123456789ab Version: $LATEST\\n"', true],
    ['{\n    "results": [\n        [\n            {"field": "@message", "value": "REPORT RequestId: 8f5a6b1c-1234-4a5b-9c8d-0123456789ab"}', false],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', false],
    ['[  123.456] Memory cgroup out of memory: Killed process 4242 (node)', false],
    ['hello world', false],
  ])('%s → %s', (head, expected) => {
    expect(lambdaLog.detect(head)).toBe(expected);
  });
});

describe('lambda.log streaming', () => {
  const INVOCATIONS = 50_000;
  async function* generate(): AsyncGenerator<string> {
    for (let i = 0; i < INVOCATIONS; i++) {
      const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      yield `START RequestId: ${id} Version: $LATEST`;
      if (i === 31_337) {
        yield `RequestId: ${id} Error: Runtime exited with error: signal: killed`;
        yield 'Runtime.ExitError';
      } else {
        yield `2024-05-01T10:00:00.000Z\t${id}\tINFO\tworking on item ${i}`;
        yield '';
      }
      yield `REPORT RequestId: ${id}\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 1024 MB\tMax Memory Used: ${100 + (i % 700)} MB\t`;
    }
  }

  test('200,000 lines through an async generator keep bounded evidence, every error and the peak', async () => {
    const evidence = await lambdaLog.parse(generate(), 'big.log');
    const coverage = ofKind(evidence, 'log.coverage')[0]!;
    expect(coverage.lines).toBe(INVOCATIONS * 4);
    expect(coverage.thinned!.seen).toBe(INVOCATIONS);
    expect(coverage.thinned!.kept).toBeLessThanOrEqual(20_000 + 2);
    const invocations = ofKind(evidence, 'lambda.invocation');
    expect(invocations.length).toBe(coverage.thinned!.kept);
    expect(ofKind(evidence, 'memory.sample').length).toBe(invocations.length);
    expect(ofKind(evidence, 'lambda.error')).toHaveLength(1);
    const killedId = ofKind(evidence, 'lambda.error')[0]!.requestId;
    expect(invocations.some((i) => i.requestId === killedId)).toBe(true);
    expect(Math.max(...invocations.map((i) => i.maxMemoryUsedMb!))).toBe(799);
    // Kept invocations stay in log order and spread over the whole log.
    const order = invocations.map((i) => parseInt(i.requestId!.slice(-12), 16));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBe(0);
    expect(order.at(-1)!).toBeGreaterThan(INVOCATIONS * 0.99);
  });
});

describe('lambda.log bad input, through readArtifact', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-lambda-'));
  const good = readFileSync(fixturePath('lambda', 'log-signal-killed.txt'), 'utf8');
  const cases: [string, string, string | Buffer][] = [
    ['empty.log', 'why137_artifact_empty', ''],
    ['binary.log', 'why137_artifact_binary', Buffer.concat([Buffer.from(good.slice(0, 400)), Buffer.alloc(32, 0), Buffer.from(good.slice(400))])],
    // Looks like a Lambda platform line (detected) but says nothing readable.
    ['unreadable.log', 'why137_artifact_invalid', '2024-05-01T10:00:00Z Error: Runtime exited with code 3\n'],
  ];
  test.each(cases)('%s → %s', async (name, code, content) => {
    expect((await artifactFailure(dir, name, content)).code).toBe(code);
  });

  test('a filter-log-events document cut short still yields its whole events', async () => {
    const file = path.join(dir, 'cut.json');
    const doc = readFileSync(fixturePath('lambda', 'filter-log-events.json'), 'utf8');
    writeFileSync(file, doc.slice(0, doc.indexOf('Max Memory Used: 530')));
    const result = await readArtifact(file);
    expect(result.kind).toBe('lambda.log');
    expect(summary(result.evidence).used).toEqual([402, 466]);
  });

  test('a log cut mid-line still yields what it holds', async () => {
    const file = path.join(dir, 'truncated.log');
    writeFileSync(file, good.slice(0, good.indexOf('Max Memory Used: 298') + 8));
    const result = await readArtifact(file);
    expect(summary(result.evidence).used).toEqual([187, 241, undefined]);
  });
});
