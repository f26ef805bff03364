import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { containerLog } from '../../src/artifacts/container-log.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

async function* linesOf(text: string): AsyncGenerator<string> {
  for (const line of text.split('\n')) yield line;
}

describe('container.log through readArtifact', () => {
  test.each([
    { fixture: 'container-node-heap.txt', heap: { runtime: 'node', message: 'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory', heapUsedMb: 2040.6, cite: { at: 'line 16' } }, lines: 27 },
    { fixture: 'container-java-oom.txt', heap: { runtime: 'jvm', message: 'java.lang.OutOfMemoryError: Java heap space', time: '2024-05-10T03:44:09.118Z', cite: { at: 'line 11' } }, lines: 17 },
  ])('$fixture', async ({ fixture, heap, lines }) => {
    const file = fixturePath('logs', fixture);
    const result = await readArtifact(file);
    expect(result.kind).toBe('container.log');
    expect(ofKind(result.evidence, 'runtime.heap')).toEqual([expect.objectContaining({ ...heap, cite: expect.objectContaining({ file, ...heap.cite }) })]);
    expect(ofKind(result.evidence, 'log.coverage')).toEqual([expect.objectContaining({ log: 'container', lines })]);
  });
});

describe('container.log parser', () => {
  test.each([
    ['Go', 'runtime: out of memory: cannot allocate 4194304-byte block (3758096384 in use)\nfatal error: runtime: out of memory\n\ngoroutine 1 [running]:', 'go', 1],
    ['.NET', "Unhandled exception. System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.\n   at Program.Main()", 'dotnet', 1],
    ['Ruby', "/app/lib/report.rb:41:in `pack': failed to allocate memory (NoMemoryError)", 'ruby', 1],
    ['Python', 'Traceback (most recent call last):\n  File "/app/worker.py", line 12, in <module>\nMemoryError', 'python', 1],
  ])('%s', async (_name, text, runtime, count) => {
    expect(containerLog.detect(text)).toBe(true);
    const heaps = ofKind(await containerLog.parse(linesOf(text), 'c.log'), 'runtime.heap');
    expect(heaps.map((h) => h.runtime)).toEqual(Array(count).fill(runtime));
  });

  test('docker json-file lines and `aws logs tail` of an awslogs stream', async () => {
    const json = [
      '{"log":"starting\\n","stream":"stdout","time":"2024-05-10T03:31:02.881204611Z"}',
      '{"log":"FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n","stream":"stderr","time":"2024-05-10T03:44:09.118470112Z"}',
    ].join('\n');
    const [heap] = ofKind(await containerLog.parse(linesOf(json), 'j.log'), 'runtime.heap');
    expect(heap).toMatchObject({ runtime: 'node', time: '2024-05-10T03:44:09.118Z', message: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' });

    const tail = '2024-05-10T03:44:09.118000+00:00 ecs/billing/4e6a8c0e2a4c4e6a8c0e2a4c6e8a0c2e Exception in thread "main" java.lang.OutOfMemoryError: Java heap space';
    const ev = await containerLog.parse(linesOf(tail), 't.log');
    expect(ofKind(ev, 'runtime.heap')[0]!.subject).toEqual({ platform: 'ecs', containerName: 'billing', taskId: '4e6a8c0e2a4c4e6a8c0e2a4c6e8a0c2e' });
    expect(ofKind(ev, 'log.coverage')[0]!.subject).toEqual({ platform: 'ecs', containerName: 'billing', taskId: '4e6a8c0e2a4c4e6a8c0e2a4c6e8a0c2e' });
  });

  test('two aborts far apart are two events', async () => {
    const abort = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';
    const text = [abort, ...Array(50).fill('restarted; serving'), abort].join('\n');
    expect(ofKind(await containerLog.parse(linesOf(text), 'c.log'), 'runtime.heap')).toHaveLength(2);
  });

  test('text without a runtime OOM message is not claimed', () => {
    const pod = JSON.stringify({ kind: 'Pod', status: { containerStatuses: [{ lastState: { terminated: { message: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' } } }] } }, null, 2);
    for (const head of ['hello\nworld', 'OutOfMemoryError: Container killed due to memory usage', 'Memory cgroup out of memory: Killed process 42 (node)', pod]) {
      expect(containerLog.detect(head)).toBe(false);
    }
  });
});

describe('container.log bad input, through readArtifact', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-clog-'));
  const good = readFileSync(fixturePath('logs', 'container-java-oom.txt'), 'utf8');
  const cases: [string, string, string | Buffer][] = [
    ['empty.log', 'why137_artifact_empty', ''],
    ['binary.log', 'why137_artifact_binary', Buffer.concat([Buffer.from(good), Buffer.alloc(64, 0)])],
    // Cut before the OOM line: nothing says what this text is.
    ['truncated.log', 'why137_artifact_unrecognized', good.slice(0, good.indexOf('Exception in thread'))],
  ];
  test.each(cases)('%s → %s', async (name, code, content) => {
    expect((await artifactFailure(dir, name, content)).code).toBe(code);
  });

  test('a log cut mid-line after the abort still yields it', async () => {
    const file = path.join(dir, 'cut.log');
    writeFileSync(file, good.slice(0, good.indexOf('Terminating') + 5));
    expect(ofKind((await readArtifact(file)).evidence, 'runtime.heap')).toHaveLength(1);
  });
});
