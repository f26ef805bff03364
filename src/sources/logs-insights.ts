import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type CloudWatchLogsClient, type GetQueryResultsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { z } from 'zod';
import type { Target } from '../targets/target.js';
import type { CollectContext, Source, StepOutput } from './source.js';
import { AwsSourceError } from './aws/aws-source-error.js';
import { abortableSleep, type Sleep } from './aws/abortable-sleep.js';
import { cliJson } from './aws/cli-json.js';
import { needFact } from './aws/need-fact.js';
import type { AwslogsFact } from './ecs-task-definition.js';
import type { EcsContainerFact } from './aws/ecs-task-output.js';

// Insights queries over an hour of logs usually finish in a few seconds: the first look comes soon, and
// the wait doubles so a slow query costs a handful of GetQueryResults calls, not hundreds.
const POLL_FIRST_MS = 500;
const POLL_FACTOR = 2;
// Past this the wait stops growing: a query finishing just after a long wait is not kept waiting longer.
const POLL_MAX_MS = 5_000;
// StopQuery runs after the step's own signal has fired, so it gets a short budget of its own.
const STOP_QUERY_TIMEOUT_MS = 5_000;
// Rows kept per query; Insights allows 10,000. REPORT lines are one per invocation: a busy function's hour
// fills this, and sort-by-newest keeps the ones nearest the incident.
const DEFAULT_LIMIT = 2_000;
const MAX_LIMIT = 10_000;
// StartQuery accepts at most 50 log groups.
const MAX_LOG_GROUPS = 50;
const SIGKILL_EXIT = 137;
const OOM_REASON = /OutOfMemory/i;
const TERMINAL = new Set(['Complete', 'Failed', 'Cancelled', 'Timeout']);
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'LimitExceededException']);
// Lambda REPORT lines carry the memory numbers; the rest are how a kill shows in Lambda and container logs.
const KILL_PATTERN = '/137|OOM|OutOfMemory|SIGKILL|Killed|signal: killed|Runtime.ExitError/';

const params = z.object({
  /** Log groups to query instead of the ones the target and earlier steps name. */
  logGroups: z.array(z.string().min(1)).min(1).max(MAX_LOG_GROUPS).optional(),
  limit: z.number().int().positive().max(MAX_LIMIT).default(DEFAULT_LIMIT),
}).strict();
type Params = z.infer<typeof params>;

interface Query { groups: string[]; region?: string; streamFilter?: string }

/**
 * Logs Insights over the incident window: `aws logs start-query` on the function's log group
 * (/aws/lambda/NAME, or its LoggingConfig group) or the ECS container's awslogs group, then
 * get-query-results polled with exponential back-off until Complete/Failed/Cancelled/Timeout. When the
 * step's signal fires the query is stopped (StopQuery) and a timeout error thrown. The last
 * get-query-results output is `insights.json`. Facts: status, bytesScanned, recordsMatched,
 * recordsScanned, queryId, logGroups. Insights bills by bytes scanned, so they are always reported.
 */
export function createLogsInsightsSource(deps: { sleep?: Sleep } = {}): Source<Params> {
  const sleep = deps.sleep ?? abortableSleep;
  return {
    name: 'logs-insights',
    reads: 'CloudWatch Logs Insights over the incident window (logs:StartQuery, logs:GetQueryResults, logs:StopQuery): REPORT lines and kill/OOM messages',
    params,
    async collect(ctx) {
      const query = queryFor(ctx);
      const logs = ctx.clients.logs(query.region);
      return runQuery(logs, query, ctx, sleep);
    },
  };
}

/** The source with the real clock. */
export const logsInsightsSource = createLogsInsightsSource();

async function runQuery(logs: CloudWatchLogsClient, query: Query, ctx: CollectContext<Params>, sleep: Sleep): Promise<StepOutput> {
  const { signal, window } = ctx;
  const where = query.groups.join(', ');
  if (signal.aborted) throw timeout(where, undefined);
  let calls = 0;
  let queryId: string | undefined;
  let last: GetQueryResultsCommandOutput | undefined;
  try {
    const started = await logs.send(new StartQueryCommand({
      logGroupNames: query.groups,
      startTime: Math.floor(window.since.getTime() / 1000),
      endTime: Math.ceil(window.until.getTime() / 1000),
      queryString: queryString(ctx.params.limit, query.streamFilter),
      limit: ctx.params.limit,
    }), { abortSignal: signal });
    calls++;
    queryId = started.queryId;
    if (!queryId) throw new AwsSourceError('why137_source_unavailable', 'error', `Logs Insights on ${where}: StartQuery returned no query id`);

    let wait = POLL_FIRST_MS;
    for (;;) {
      await sleep(wait, signal);
      wait = Math.min(wait * POLL_FACTOR, POLL_MAX_MS);
      calls++;
      try {
        last = await logs.send(new GetQueryResultsCommand({ queryId }), { abortSignal: signal });
      } catch (err) {
        // The SDK has already retried a throttled call; the query keeps running, so wait longer and ask again.
        if (!signal.aborted && THROTTLED.has((err as Error).name)) continue;
        throw err;
      }
      if (last.status && TERMINAL.has(last.status)) break;
    }
  } catch (err) {
    if (queryId) calls += await stopQuery(logs, queryId);
    if (signal.aborted) throw timeout(where, last, err);
    throw err;
  }

  if (!last) throw new AwsSourceError('why137_source_unavailable', 'error', `Logs Insights on ${where}: no results`);
  const statistics = { ...last.statistics, bytesScanned: last.statistics?.bytesScanned ?? 0 };
  return {
    artifacts: [{ name: 'insights.json', content: cliJson({ ...last, statistics }) }],
    facts: {
      status: last.status, bytesScanned: statistics.bytesScanned, recordsMatched: statistics.recordsMatched ?? 0,
      recordsScanned: statistics.recordsScanned ?? 0, queryId, logGroups: query.groups,
    },
    calls,
  };
}

/** Best effort: a query left running keeps scanning (and billing) for up to an hour. Returns calls made. */
async function stopQuery(logs: CloudWatchLogsClient, queryId: string): Promise<number> {
  try {
    await logs.send(new StopQueryCommand({ queryId }), { abortSignal: AbortSignal.timeout(STOP_QUERY_TIMEOUT_MS) });
  } catch {
    // Already finished, or unreachable: nothing more to do, and the step's own error says what happened.
  }
  return 1;
}

function timeout(where: string, last: GetQueryResultsCommandOutput | undefined, cause?: unknown): AwsSourceError {
  const scanned = last?.statistics?.bytesScanned;
  return new AwsSourceError('why137_source_timeout', 'timeout',
    `Logs Insights on ${where}: the query did not finish within the step's timeout and was stopped${scanned !== undefined ? ` (${scanned} bytes scanned so far)` : ''}; `
    + 'raise the step timeout or narrow the window', { cause });
}

function queryString(limit: number, streamFilter: string | undefined): string {
  return [
    'fields @timestamp, @message, @log, @logStream, @requestId, @type, @maxMemoryUsed, @memorySize, @duration, @billedDuration, @initDuration',
    `filter @type = "REPORT" or @message like ${KILL_PATTERN}`,
    ...(streamFilter ? [`filter @logStream like "${streamFilter}"`] : []),
    'sort @timestamp desc',
    `limit ${limit}`,
  ].join('\n| ');
}

function queryFor(ctx: CollectContext<Params>): Query {
  const { target, params: p, needs } = ctx;
  const region = 'region' in target ? target.region : undefined;
  if (p.logGroups) return { groups: p.logGroups, region };
  if (target.kind === 'lambda') {
    const group = needFact(needs, 'logGroup', isString) ?? `/aws/lambda/${functionName(target)}`;
    return { groups: [group], region };
  }
  if (target.kind === 'ecs' || target.kind === 'ecs-service') {
    const awslogs = needFact(needs, 'awslogs', isAwslogsList) ?? [];
    const containers = needFact(needs, 'containers', isContainerList) ?? [];
    const killed = new Set(containers.filter((c) => c.exitCode === SIGKILL_EXIT || (c.reason && OOM_REASON.test(c.reason))).map((c) => c.name));
    const chosen = awslogs.some((a) => killed.has(a.container)) ? awslogs.filter((a) => killed.has(a.container)) : awslogs;
    if (chosen.length === 0) {
      throw new AwsSourceError('why137_source_unavailable', 'not_found',
        `no awslogs group for ${target.kind === 'ecs' ? `task ${target.task}` : `service ${target.service}`}: its task definition sends no container's logs to CloudWatch Logs (logDriver awslogs); set params.logGroups to query another group`);
    }
    const logRegion = chosen[0]!.region ?? region;
    const groups = [...new Set(chosen.filter((a) => (a.region ?? region) === logRegion).map((a) => a.group))].slice(0, MAX_LOG_GROUPS);
    // awslogs streams are prefix/container/taskId: narrowing to the task keeps other tasks' lines out
    // (ids are 32 hex digits, or a UUID in the old ARN format).
    const taskId = needFact(needs, 'taskId', isString);
    return { groups, region: logRegion, streamFilter: taskId && /^[0-9a-f-]{32,36}$/.test(taskId) ? taskId : undefined };
  }
  throw new AwsSourceError('why137_runbook_invalid', 'invalid', `logs-insights reads lambda:, ecs: or ecs-service: targets, or params.logGroups; not ${target.kind}`);
}

function functionName(target: Extract<Target, { kind: 'lambda' }>): string {
  // An ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]) names the function in its 7th field.
  return target.functionName.startsWith('arn:') ? target.functionName.split(':')[6] ?? target.functionName : target.functionName;
}

function isString(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

function isAwslogsList(v: unknown): v is AwslogsFact[] {
  return Array.isArray(v) && v.every((a) => typeof a === 'object' && a !== null && typeof (a as AwslogsFact).group === 'string' && typeof (a as AwslogsFact).container === 'string');
}

function isContainerList(v: unknown): v is EcsContainerFact[] {
  return Array.isArray(v) && v.every((c) => typeof c === 'object' && c !== null && typeof (c as EcsContainerFact).name === 'string');
}
