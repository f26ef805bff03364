import { readArtifactContent } from '../../src/artifacts/read-artifact.js';
import { explainEvidence } from '../../src/cli/explain-files.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { createLogsInsightsSource } from '../../src/sources/logs-insights.js';
import type { StepOutput } from '../../src/sources/source.js';
import type { Target } from '../../src/targets/target.js';
import { startAwsRecordedFake, type AwsRecordedFake } from '../fakes/aws-recorded.js';
import { awsContext } from '../helpers/aws-context.js';
import { recordedResponse } from '../helpers/recorded-response.js';

type Results = { results: unknown[]; statistics: Record<string, number>; status: string };
const QUERY_ID = '12ab3456-12ab-123a-789e-1234567890ab';
const lambdaTarget: Target = { kind: 'lambda', functionName: 'orders-sync' };
const window = { since: new Date('2024-05-08T12:50:00.500Z'), until: new Date('2024-05-08T13:25:00.200Z') };
const running = (bytesScanned: number): { json: Results } => ({ json: { results: [], statistics: { recordsMatched: 0, recordsScanned: 100, bytesScanned }, status: 'Running' } });
const complete = () => ({ cli: recordedResponse<Results>('logs', 'insights-report-lines.json') });

/** A Sleep that records the waits and returns at once, or aborts the step on the nth wait. */
function recordingSleep(abortOn?: { n: number; controller: AbortController }) {
  const waits: number[] = [];
  const sleep = async (ms: number, signal: AbortSignal) => {
    waits.push(ms);
    if (abortOn && waits.length === abortOn.n) abortOn.controller.abort(new DOMException('step timeout', 'TimeoutError'));
    if (signal.aborted) throw signal.reason;
  };
  return { waits, sleep };
}

describe('logsInsightsSource against recorded Logs Insights responses', () => {
  let fake: AwsRecordedFake;
  beforeEach(async () => {
    fake = await startAwsRecordedFake();
    fake.reply('StartQuery', { json: { queryId: QUERY_ID } });
    fake.reply('StopQuery', { json: { success: true } });
  });
  afterEach(async () => { await fake.stop(); });

  const run = (o: { sleep: (ms: number, s: AbortSignal) => Promise<void>; target?: Target; needs?: Record<string, StepOutput>; signal?: AbortSignal; maxAttempts?: number; params?: Record<string, unknown> }) => {
    const source = createLogsInsightsSource({ sleep: o.sleep });
    return source.collect(awsContext({
      endpoint: fake.endpoint, target: o.target ?? lambdaTarget, params: source.params.parse(o.params ?? {}), needs: o.needs, signal: o.signal, window, maxAttempts: o.maxAttempts,
    }));
  };

  test('StartQuery → Running, Running, Complete: waits back off exponentially, and the bytes scanned are reported', async () => {
    fake.reply('GetQueryResults', running(1_000), running(250_000), complete());
    const { waits, sleep } = recordingSleep();
    const out = await run({ sleep });

    expect(waits).toEqual([500, 1000, 2000]);
    expect(fake.calls.map((c) => c.operation)).toEqual(['StartQuery', 'GetQueryResults', 'GetQueryResults', 'GetQueryResults']);
    expect(fake.calls[0]!.service).toBe('Logs_20140328');
    const start = fake.calls[0]!.body as { logGroupNames: string[]; startTime: number; endTime: number; queryString: string; limit: number };
    expect(start.logGroupNames).toEqual(['/aws/lambda/orders-sync']);
    // Epoch seconds covering the whole window.
    expect(start.startTime).toBe(Math.floor(window.since.getTime() / 1000));
    expect(start.endTime).toBe(Math.ceil(window.until.getTime() / 1000));
    expect(start.queryString).toContain('filter @type = "REPORT" or @message like /137|OOM|OutOfMemory|SIGKILL|Killed|signal: killed|Runtime.ExitError/');
    expect(start.limit).toBe(2000);
    expect(fake.callsTo('GetQueryResults').map((c) => c.body)).toEqual(Array(3).fill({ queryId: QUERY_ID }));
    expect(fake.callsTo('StopQuery')).toHaveLength(0);

    expect(out.calls).toBe(4);
    expect(out.facts).toMatchObject({ status: 'Complete', bytesScanned: 401227, recordsMatched: 7, recordsScanned: 1893, queryId: QUERY_ID, logGroups: ['/aws/lambda/orders-sync'] });
    const doc = JSON.parse(out.artifacts[0]!.content) as Results;
    expect(out.artifacts[0]!.name).toBe('insights.json');
    expect(doc.statistics.bytesScanned).toBe(401227);
    expect(doc).toEqual(recordedResponse('logs', 'insights-report-lines.json'));
  });

  test('the killed Lambda’s Insights results explain as lambda_oom', async () => {
    fake.reply('GetQueryResults', complete());
    const out = await run({ sleep: recordingSleep().sleep });
    const parsed = await readArtifactContent('insights.json', out.artifacts[0]!.content);
    expect(parsed.kind).toBe('logs.insights');
    const explanation = explainEvidence(parsed.evidence, [{ file: 'insights.json', kind: parsed.kind }]);
    expect(explanation.verdict.cause).toBe('lambda_oom');
    expect(explanation.verdict.confidence).toBe('high');
  });

  test('the log group comes from the lambda-config step (LoggingConfig.LogGroup) when it ran', async () => {
    fake.reply('GetQueryResults', complete());
    await run({ sleep: recordingSleep().sleep, needs: { config: { artifacts: [], facts: { functionName: 'orders-sync', logGroup: '/custom/orders-sync' }, calls: 1 } } });
    expect((fake.calls[0]!.body as { logGroupNames: string[] }).logGroupNames).toEqual(['/custom/orders-sync']);
  });

  test('the step’s timeout stops the query (StopQuery) and throws a timeout error', async () => {
    fake.reply('GetQueryResults', running(73_000));
    const controller = new AbortController();
    const { waits, sleep } = recordingSleep({ n: 4, controller });
    const err = await run({ sleep, signal: controller.signal }).catch((e: unknown) => e) as Error & { code?: string };

    expect(waits).toEqual([500, 1000, 2000, 4000]);
    expect(fake.callsTo('StopQuery').map((c) => c.body)).toEqual([{ queryId: QUERY_ID }]);
    expect(err.code).toBe('why137_source_timeout');
    expect(classifyFault(err).fault).toBe('timeout');
    expect(err.message).toMatch(/73000 bytes scanned so far/);
  });

  test('a GetQueryResults call in flight when the timeout fires is aborted, and the query still stopped', async () => {
    fake.reply('GetQueryResults', { hang: true });
    const err = await run({ sleep: recordingSleep().sleep, signal: AbortSignal.timeout(300) }).catch((e: unknown) => e) as Error & { code?: string };
    expect(err.code).toBe('why137_source_timeout');
    expect(fake.callsTo('StopQuery')).toHaveLength(1);
  });

  test('a throttled GetQueryResults is retried by the SDK', async () => {
    fake.reply('GetQueryResults', { error: 'ThrottlingException', message: 'Rate exceeded' }, { error: 'ThrottlingException', message: 'Rate exceeded' }, complete());
    const { waits, sleep } = recordingSleep();
    const out = await run({ sleep });
    expect(fake.callsTo('GetQueryResults')).toHaveLength(3);
    // One poll: the SDK's own retries absorbed the throttling.
    expect(waits).toEqual([500]);
    expect(out.facts.status).toBe('Complete');
  });

  test('throttling that outlasts the SDK’s retries: the poll backs off and asks again, the query keeps running', async () => {
    fake.reply('GetQueryResults', { error: 'ThrottlingException', message: 'Rate exceeded' }, { error: 'ThrottlingException', message: 'Rate exceeded' }, complete());
    const { waits, sleep } = recordingSleep();
    const out = await run({ sleep, maxAttempts: 1 });
    expect(waits).toEqual([500, 1000, 2000]);
    expect(fake.callsTo('StopQuery')).toHaveLength(0);
    expect(out.facts.status).toBe('Complete');
  });

  test('5xx and a reset connection are retried by the SDK', async () => {
    fake.reply('StartQuery', { error: 'ServiceUnavailableException', status: 503 }, { reset: true }, { json: { queryId: QUERY_ID } });
    fake.reply('GetQueryResults', complete());
    const out = await run({ sleep: recordingSleep().sleep });
    expect(fake.callsTo('StartQuery')).toHaveLength(3);
    expect(out.facts.status).toBe('Complete');
  });

  test('AccessDenied on StartQuery: the SDK error, classified denied, nothing to stop', async () => {
    fake.reply('StartQuery', { error: 'AccessDeniedException', message: 'User is not authorized to perform: logs:StartQuery' });
    const err = await run({ sleep: recordingSleep().sleep }).catch((e: unknown) => e) as Error & { $metadata?: { httpStatusCode?: number } };
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(classifyFault(err).fault).toBe('denied');
    expect(fake.callsTo('StopQuery')).toHaveLength(0);
  });

  test('AccessDenied while polling: the query is stopped and the SDK error passed on', async () => {
    fake.reply('GetQueryResults', running(10), { error: 'AccessDeniedException', message: 'not authorized to perform: logs:GetQueryResults' });
    const err = await run({ sleep: recordingSleep().sleep }).catch((e: unknown) => e) as Error;
    expect(classifyFault(err).fault).toBe('denied');
    expect(fake.callsTo('StopQuery')).toHaveLength(1);
  });

  test('a Failed query still yields its results file, with the status for the parser’s coverage', async () => {
    fake.reply('GetQueryResults', { json: { results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 }, status: 'Failed' } });
    const out = await run({ sleep: recordingSleep().sleep });
    expect(out.facts).toMatchObject({ status: 'Failed', bytesScanned: 0 });
    const parsed = await readArtifactContent('insights.json', out.artifacts[0]!.content);
    expect(parsed.evidence.find((e) => e.kind === 'log.coverage')).toMatchObject({ queryStatus: 'Failed' });
  });

  test('ECS: the awslogs group of the killed container, in its region, narrowed to the task’s streams', async () => {
    fake.reply('GetQueryResults', { cli: recordedResponse('logs', 'insights-ecs-java-oom.json') });
    const needs: Record<string, StepOutput> = {
      tasks: { artifacts: [], calls: 1, facts: { taskId: '4e6a8c0e2a4c4e6a8c0e2a4c6e8a0c2e', containers: [{ name: 'billing', exitCode: 137 }, { name: 'log-router', exitCode: 0 }] } },
      taskdef: { artifacts: [], calls: 1, facts: { awslogs: [{ container: 'log-router', group: '/ecs/firelens' }, { container: 'billing', group: '/ecs/billing-service', region: 'us-east-1' }] } },
    };
    const out = await run({ sleep: recordingSleep().sleep, target: { kind: 'ecs', cluster: 'prod', task: '4e6a8c0e2a4c4e6a8c0e2a4c6e8a0c2e' }, needs });
    const start = fake.calls[0]!.body as { logGroupNames: string[]; queryString: string };
    expect(start.logGroupNames).toEqual(['/ecs/billing-service']);
    expect(start.queryString).toContain('filter @logStream like "4e6a8c0e2a4c4e6a8c0e2a4c6e8a0c2e"');
    const parsed = await readArtifactContent('insights.json', out.artifacts[0]!.content);
    expect(parsed.evidence.some((e) => e.kind === 'runtime.heap')).toBe(true);
  });

  test('ECS without an awslogs group: not_found, no query started', async () => {
    const needs: Record<string, StepOutput> = { taskdef: { artifacts: [], calls: 1, facts: { awslogs: [] } } };
    const err = await run({ sleep: recordingSleep().sleep, target: { kind: 'ecs-service', cluster: 'prod', service: 'billing' }, needs }).catch((e: unknown) => e) as Error;
    expect(classifyFault(err).fault).toBe('not_found');
    expect(err.message).toMatch(/no awslogs group for service billing/);
    expect(fake.calls).toHaveLength(0);
  });

  test('params.logGroups overrides the groups the target would name', async () => {
    fake.reply('GetQueryResults', complete());
    await run({ sleep: recordingSleep().sleep, params: { logGroups: ['/aws/lambda/a', '/aws/lambda/b'], limit: 500 } });
    expect(fake.calls[0]!.body).toMatchObject({ logGroupNames: ['/aws/lambda/a', '/aws/lambda/b'], limit: 500 });
  });
});
