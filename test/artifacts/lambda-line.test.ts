import { LambdaLine } from '../../src/artifacts/lambda-line.js';

const ctx = { file: 'f.log', at: 'line 1', subject: { platform: 'lambda' as const } };

describe('LambdaLine', () => {
  test.each([
    ['REPORT RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f\tDuration: 1234.56 ms\tBilled Duration: 1235 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\tInit Duration: 234.5 ms\t',
      { kind: 'lambda.invocation', requestId: '3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f', durationMs: 1234.56, billedDurationMs: 1235, memorySizeMb: 512, maxMemoryUsedMb: 512, initDurationMs: 234.5 }],
    ['REPORT RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f Duration: 3009.61 ms Billed Duration: 3010 ms Memory Size: 128 MB Max Memory Used: 128 MB Status: error Error Type: Runtime.OutOfMemory',
      { kind: 'lambda.invocation', durationMs: 3009.61, memorySizeMb: 128, maxMemoryUsedMb: 128, status: 'error', errorType: 'Runtime.OutOfMemory' }],
    ['RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f Error: Runtime exited with error: signal: killed\nRuntime.ExitError',
      { kind: 'lambda.error', requestId: '3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f', signal: 'killed', errorType: 'Runtime.ExitError', message: 'Runtime exited with error: signal: killed' }],
    ['Error: Runtime exited with error: exit status 137 Runtime.ExitError',
      { kind: 'lambda.error', exitStatus: 137, errorType: 'Runtime.ExitError', message: 'Runtime exited with error: exit status 137' }],
    ['RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f Error: Runtime exited without providing a reason\nRuntime.ExitError',
      { kind: 'lambda.error', errorType: 'Runtime.ExitError', message: 'Runtime exited without providing a reason' }],
    ['2024-05-01T10:00:03.005Z 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f Task timed out after 3.00 seconds',
      { kind: 'lambda.error', requestId: '3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f', errorType: 'Sandbox.Timedout', message: 'Task timed out after 3.00 seconds' }],
    ['INIT_REPORT Init Duration: 3021.15 ms\tPhase: init\tStatus: error\tError Type: Runtime.OutOfMemory',
      { kind: 'lambda.error', errorType: 'Runtime.OutOfMemory', message: 'INIT_REPORT Init Duration: 3021.15 ms\tPhase: init\tStatus: error\tError Type: Runtime.OutOfMemory' }],
    ['INIT_REPORT Init Duration: 10008.62 ms\tPhase: init\tStatus: timeout', { kind: 'lambda.error', errorType: 'Sandbox.Timedout' }],
    ['{"time":"2024-05-01T10:00:05.123Z","type":"platform.report","record":{"requestId":"r-1","metrics":{"durationMs":1234.56,"billedDurationMs":1235,"memorySizeMB":512,"maxMemoryUsedMB":512},"status":"error","errorType":"Runtime.OutOfMemory"}}',
      { kind: 'lambda.invocation', requestId: 'r-1', time: '2024-05-01T10:00:05.123Z', maxMemoryUsedMb: 512, status: 'error', errorType: 'Runtime.OutOfMemory' }],
    ['{"time":"2024-05-01T10:00:01.000Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"error","errorType":"Runtime.OutOfMemory","metrics":{"durationMs":812.2}}}',
      { kind: 'lambda.error', errorType: 'Runtime.OutOfMemory', message: 'platform.initReport status error (Runtime.OutOfMemory)' }],
    ['{"timestamp":"2024-05-01T10:00:02.000Z","level":"ERROR","requestId":"r-2","message":{"errorType":"MemoryError","errorMessage":"","stackTrace":[]}}',
      { kind: 'runtime.heap', runtime: 'python', message: 'MemoryError', time: '2024-05-01T10:00:02.000Z' }],
    ['[ERROR] MemoryError\nTraceback (most recent call last):', { kind: 'runtime.heap', runtime: 'python' }],
    ['Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', { kind: 'runtime.heap', runtime: 'jvm', message: 'java.lang.OutOfMemoryError: Java heap space' }],
  ])('%s', (message, expected) => {
    const found = new LambdaLine().match(message, ctx);
    expect(found[0]).toMatchObject({ ...expected, cite: { file: 'f.log', at: 'line 1' }, subject: { platform: 'lambda' } });
  });

  test.each([
    'START RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f Version: $LATEST',
    'END RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f',
    'INIT_START Runtime Version: nodejs:18.v26\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0cdc',
    '{"time":"2024-05-01T10:00:00.000Z","type":"platform.start","record":{"requestId":"r-1","version":"$LATEST"}}',
  ])('recognised, no evidence: %s', (message) => {
    const m = new LambdaLine();
    expect(m.match(message, ctx)).toEqual([]);
    expect(m.recognised).toBe(1);
  });

  test('a Runtime.ExitError on the next line completes the error; the GC trace gives Node heap', () => {
    const m = new LambdaLine();
    const [err] = m.match('RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f Error: Runtime exited with error: signal: killed', ctx);
    expect(m.match('Runtime.ExitError', ctx)).toEqual([]);
    expect(err).toMatchObject({ errorType: 'Runtime.ExitError' });
    m.match('[8:0x6b2c7a0]    42402 ms: Mark-Compact (reduce) 894.1 (922.1) -> 892.7 (923.4) MB, 1101.29 / 0.00 ms', ctx);
    expect(m.match('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', ctx)[0]).toMatchObject({ runtime: 'node', heapUsedMb: 892.7 });
  });

  test('names the function from a log group or platform.initStart', () => {
    const a = new LambdaLine();
    a.match('log group /aws/lambda/orders-sync, stream 2024/05/01/[$LATEST]abc', ctx);
    expect(a.functionName).toBe('orders-sync');
    const b = new LambdaLine();
    b.match('{"time":"2024-05-05T09:00:00.101Z","type":"platform.initStart","record":{"functionName":"invoice-pdf","functionVersion":"$LATEST"}}', ctx);
    expect(b.functionName).toBe('invoice-pdf');
  });
});

test('one JVM abort printed twice is one runtime.heap', () => {
  const m = new LambdaLine();
  const found = m.match('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n\tat com.acme.Render.page(Render.java:88)\nCaused by: java.lang.OutOfMemoryError: Java heap space', ctx);
  expect(found.map((e) => e.kind)).toEqual(['runtime.heap']);
});

test('a logged invoke error object carries the runtime exit', () => {
  const found = new LambdaLine().match('{"errorType":"Runtime.ExitError","errorMessage":"RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f Error: Runtime exited with error: signal: killed"}', ctx);
  expect(found).toEqual([expect.objectContaining({ kind: 'lambda.error', signal: 'killed', errorType: 'Runtime.ExitError', requestId: '3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f' })]);
});
