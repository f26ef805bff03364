import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logsInsights } from '../../src/artifacts/logs-insights.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const MIB = 1024 * 1024;
const row = (fields: Record<string, string>) => Object.entries(fields).map(([field, value]) => ({ field, value }));

describe('logs.insights through readArtifact', () => {
  test('REPORT rows: @maxMemoryUsed/@memorySize are decimal-MB bytes; rows come out oldest first', async () => {
    const file = fixturePath('logs', 'insights-report-lines.json');
    const result = await readArtifact(file);
    expect(result.kind).toBe('logs.insights');
    const inv = ofKind(result.evidence, 'lambda.invocation');
    expect(inv.map((i) => [i.maxMemoryUsedMb, i.memorySizeMb])).toEqual([[389, 512], [421, 512], [447, 512], [468, 512], [490, 512], [512, 512]]);
    expect(inv.map((i) => i.time)).toEqual([...inv.map((i) => i.time)].sort());
    expect(inv[0]).toMatchObject({ time: '2024-05-08T13:02:11.417Z', subject: { platform: 'lambda', functionName: 'orders-sync' }, cite: { file, at: 'results[6].@message' } });
    expect(ofKind(result.evidence, 'memory.sample').at(-1)).toMatchObject({ usedBytes: 512 * MIB, limitBytes: 512 * MIB });
    const [err] = ofKind(result.evidence, 'lambda.error');
    expect(err).toMatchObject({ signal: 'killed', errorType: 'Runtime.ExitError', requestId: inv.at(-1)!.requestId, cite: { at: 'results[1].@message' } });
    expect(ofKind(result.evidence, 'log.coverage')).toEqual([expect.objectContaining({ log: 'lambda', lines: 7, firstTime: '2024-05-08T13:02:11.417Z', lastTime: '2024-05-08T13:19:44.907Z' })]);
    expect(ofKind(result.evidence, 'log.coverage')[0]!.queryStatus).toBeUndefined();
  });

  test('a query still Running: fields-only rows, the status noted on the coverage', async () => {
    const result = await readArtifact(fixturePath('logs', 'insights-partial.json'));
    const inv = ofKind(result.evidence, 'lambda.invocation');
    expect(inv.map((i) => [i.maxMemoryUsedMb, i.memorySizeMb, i.durationMs, i.billedDurationMs])).toEqual([[301, 1024, 2210.55, 2211], [377, 1024, 2511.75, 2512]]);
    expect(ofKind(result.evidence, 'memory.sample').map((s) => [s.usedBytes, s.limitBytes])).toEqual([[301 * MIB, 1024 * MIB], [377 * MIB, 1024 * MIB]]);
    expect(ofKind(result.evidence, 'log.coverage')[0]).toMatchObject({ queryStatus: 'Running', lines: 2, subject: { functionName: 'invoice-pdf' } });
  });

  test('ECS awslogs rows: runtime OOM messages, one per abort, tied to the task', async () => {
    const result = await readArtifact(fixturePath('logs', 'insights-ecs-java-oom.json'));
    expect(ofKind(result.evidence, 'runtime.heap')).toEqual([expect.objectContaining({
      runtime: 'jvm', message: 'java.lang.OutOfMemoryError: Java heap space', time: '2024-05-10T03:44:09.118Z',
      subject: { platform: 'ecs', containerName: 'billing', taskId: '4e6a8c0e2a4c4e6a8c0e2a4c6e8a0c2e' },
    })]);
    expect(ofKind(result.evidence, 'log.coverage')[0]).toMatchObject({ log: 'container', lines: 2 });
  });
});

test('a result larger than the 64 KiB head, quoting REPORT and heap-OOM lines, is still read as Insights', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-insights-big-'));
  const file = path.join(dir, 'big.json');
  const results = Array.from({ length: 1500 }, (_, i) => row({
    '@timestamp': `2024-05-08 13:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000`,
    '@message': i % 2 ? `REPORT RequestId: r-${i}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t` : 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    '@log': '123456789012:/aws/lambda/fn',
  }));
  writeFileSync(file, JSON.stringify({ results, statistics: { recordsMatched: 1500 }, status: 'Complete' }, null, 4));
  const result = await readArtifact(file);
  expect(result.kind).toBe('logs.insights');
  expect(ofKind(result.evidence, 'lambda.invocation')).toHaveLength(750);
});

describe('logs.insights parser', () => {
  test.each([
    // value, MB: Insights bytes are decimal megabytes.
    ['1024000000', 1024],
    ['512000000', 512],
    ['128000000', 128],
    ['1.0E9', 1000],
    ['10240000000', 10240],
  ])('@memorySize %s → %s MB', (value, mb) => {
    const doc = { results: [row({ '@timestamp': '2024-05-08 13:02:11.417', '@memorySize': value, '@maxMemoryUsed': value, '@log': '123456789012:/aws/lambda/fn' })], status: 'Complete' };
    const [inv, sample] = logsInsights.parse(doc, 'q.json');
    expect(inv).toMatchObject({ kind: 'lambda.invocation', memorySizeMb: mb, maxMemoryUsedMb: mb, cite: { at: 'results[0]', excerpt: `@maxMemoryUsed: ${value}, @memorySize: ${value}` } });
    expect(sample).toMatchObject({ kind: 'memory.sample', usedBytes: mb * MIB, limitBytes: mb * MIB });
  });

  test('a row whose message is a REPORT keeps the message figures and fills the rest from fields', () => {
    const doc = { results: [row({ '@message': 'REPORT RequestId: r-1\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 256 MB\tMax Memory Used: 200 MB\t', '@initDuration': '812.5', '@maxMemoryUsed': '200000000' })] , status: 'Complete' };
    const [inv] = logsInsights.parse(doc, 'q.json');
    expect(inv).toMatchObject({ maxMemoryUsedMb: 200, memorySizeMb: 256, initDurationMs: 812.5, requestId: 'r-1' });
  });

  test('Lambda rows without @log (or from a custom log group) are known by their message', () => {
    const doc = { results: [
      row({ '@timestamp': '2024-05-08 13:19:44.902', '@message': 'RequestId: 1bdaea03-82d3-406b-b480-202ecaf2e624 Error: Runtime exited with error: exit status 137\nRuntime.ExitError\n' }),
      row({ '@timestamp': '2024-05-08 13:19:45.000', '@message': 'START RequestId: 2bdaea03-82d3-406b-b480-202ecaf2e624 Version: $LATEST', '@log': '123456789012:/org/shared-lambda-logs' }),
    ], status: 'Complete' };
    const ev = logsInsights.parse(doc, 'q.json');
    expect(ev[0]).toMatchObject({ kind: 'lambda.error', exitStatus: 137, errorType: 'Runtime.ExitError', subject: { platform: 'lambda' } });
    expect(ev.at(-1)).toMatchObject({ kind: 'log.coverage', log: 'lambda', lines: 2 });
  });

  test('an empty result is valid', () => {
    const doc = { results: [], statistics: { recordsMatched: 0 }, status: 'Complete' };
    expect(logsInsights.detect(doc)).toBe(true);
    expect(logsInsights.parse(doc, 'q.json')).toEqual([expect.objectContaining({ kind: 'log.coverage', lines: 0 })]);
  });

  test('detects only get-query-results output', () => {
    for (const doc of [{ results: [] }, { events: [] }, { queryId: 'abc' }, { results: [{ field: '@message' }] }, []]) expect(logsInsights.detect(doc)).toBe(false);
  });
});

describe('logs.insights bad input, through readArtifact', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-insights-'));
  const good = readFileSync(fixturePath('logs', 'insights-report-lines.json'), 'utf8');
  const cases: [string, string, string | Buffer][] = [
    ['empty.json', 'why137_artifact_empty', ''],
    ['binary.json', 'why137_artifact_binary', Buffer.concat([Buffer.from(good.slice(0, 300)), Buffer.alloc(16, 0)])],
    ['truncated.json', 'why137_artifact_malformed', good.slice(0, good.length - 200)],
    ['bad-row.json', 'why137_artifact_invalid', JSON.stringify({ results: [[{ field: '@message', value: 'x' }], 'row'], status: 'Complete' })],
    ['bad-cell.json', 'why137_artifact_invalid', JSON.stringify({ results: [[{ value: 'x' }]], status: 'Complete' })],
  ];
  test.each(cases)('%s → %s', async (name, code, content) => {
    expect((await artifactFailure(dir, name, content)).code).toBe(code);
  });
});
