import type { Target } from './target.js';
import { nameRules, type NameRule } from './name-rules.js';
import { Why137Error } from '../errors/why137-error.js';

const FORMS = 'k8s:[context/]namespace/pod[/container], k8s:[context/]namespace/deployment|statefulset|daemonset|job/NAME[/container], '
  + 'ecs:[region/]cluster/TASK-ID|TASK-ARN, ecs:[region/]cluster/service/NAME, docker:[host/]container, '
  + 'lambda:[region/]function[:qualifier] or a function ARN, host:NAME';

const WORKLOADS = ['deployment', 'statefulset', 'daemonset', 'job'] as const;
type Workload = (typeof WORKLOADS)[number];
const isWorkload = (v: string | undefined): v is Workload => (WORKLOADS as readonly string[]).includes(v ?? '');

const TASK_ARN = /^arn:aws[a-z-]*:ecs:([^:/]*):([^:/]*):(task|service)\/(?:([^/]*)\/)?([^/]*)$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([^:/]*):([^:/]*):function:([^:/]*)(?::([^:/]*))?$/;

export interface ParseTargetOptions {
  /** kube contexts from the config: a first segment naming one is a context (`k8s:prod/shop/web` = context/namespace/pod). */
  kubeContexts?: readonly string[];
}

/**
 * Parses `k8s:…`, `ecs:…`, `docker:…`, `lambda:…`, `host:…` (or a bare task/function ARN) into a Target, checking
 * every name against its platform's rule so nothing unvalidated reaches an API call or an SSH command.
 * `k8s:a/b/c` is context/namespace/pod when `a` is a configured context or cannot be a namespace, else
 * namespace/pod/container; `ecs:a/b/c` starts with a region when `a` looks like one.
 */
export function parseTarget(input: string, options: ParseTargetOptions = {}): Target {
  const raw = input.trim();
  const fail = (problem: string): never => {
    const shown = JSON.stringify(raw.length > 120 ? `${raw.slice(0, 120)}…` : raw);
    throw new Why137Error('why137_target_invalid', `target ${shown}: ${problem}; expected one of: ${FORMS}`);
  };
  const check = (rule: NameRule, value: string | undefined, what: string): string => {
    if (value === undefined || value === '') return fail(`${what} is empty`);
    if (!rule.test(value)) return fail(`${what} ${JSON.stringify(value)} is not ${rule.expected}`);
    return value;
  };

  if (raw.startsWith('arn:')) {
    if (/^arn:[^:]*:ecs:/.test(raw)) return parseEcs(raw, check, fail);
    if (/^arn:[^:]*:lambda:/.test(raw)) return parseLambda(raw, check, fail);
    return fail('only ECS task/service and Lambda function ARNs are targets');
  }
  const colon = raw.indexOf(':');
  const scheme = colon < 0 ? '' : raw.slice(0, colon);
  const rest = raw.slice(colon + 1);
  switch (scheme) {
    case 'k8s': return parseK8s(rest, options, check, fail);
    case 'ecs': return parseEcs(rest, check, fail);
    case 'docker': {
      const s = rest.split('/');
      if (s.length === 1) return { kind: 'docker', container: check(nameRules.dockerContainer, s[0], 'container') };
      if (s.length === 2) return { kind: 'docker', host: check(nameRules.dockerHost, s[0], 'docker host'), container: check(nameRules.dockerContainer, s[1], 'container') };
      return fail(`docker: takes [host/]container, got ${s.length} segments`);
    }
    case 'lambda': return parseLambda(rest, check, fail);
    case 'host': return { kind: 'host', name: check(nameRules.hostName, rest, 'host') };
    default: return fail(colon < 0 ? 'no platform prefix' : `unknown platform ${JSON.stringify(scheme)}`);
  }
}

type Check = (rule: NameRule, value: string | undefined, what: string) => string;
type Fail = (problem: string) => never;

function parseK8s(rest: string, options: ParseTargetOptions, check: Check, fail: Fail): Target {
  const s = rest.split('/');
  if (s.length < 2 || s.length > 5) return fail(`k8s: takes 2 to 5 /-separated segments, got ${s.length}`);
  const known = options.kubeContexts?.includes(s[0] ?? '') ?? false;
  const noCtxWorkload = isWorkload(s[1]) && (s.length === 3 || s.length === 4);
  const ctxWorkload = isWorkload(s[2]) && (s.length === 4 || s.length === 5);
  if (noCtxWorkload || ctxWorkload) {
    const withCtx = ctxWorkload && (!noCtxWorkload || known);
    const [context, body] = withCtx ? [s[0], s.slice(1)] : [undefined, s];
    return {
      kind: 'k8s-workload',
      ...(context !== undefined ? { context: check(nameRules.kubeContext, context, 'kube context') } : {}),
      namespace: check(nameRules.dnsLabel, body[0], 'namespace'),
      workload: body[1] as Workload,
      name: check(nameRules.dnsSubdomain, body[2], `${body[1]} name`),
      ...(body[3] !== undefined ? { container: check(nameRules.dnsLabel, body[3], 'container') } : {}),
    };
  }
  if (s.length === 5) return fail('k8s: 5 segments need a workload kind (deployment, statefulset, daemonset or job) in the third');
  // Three segments: context/namespace/pod when the first is a known context or cannot be a namespace.
  const withCtx = s.length === 4 || (s.length === 3 && (known || !nameRules.dnsLabel.test(s[0] ?? '')));
  const [context, body] = withCtx ? [s[0], s.slice(1)] : [undefined, s];
  return {
    kind: 'k8s',
    ...(context !== undefined ? { context: check(nameRules.kubeContext, context, 'kube context') } : {}),
    namespace: check(nameRules.dnsLabel, body[0], 'namespace'),
    pod: check(nameRules.dnsSubdomain, body[1], 'pod'),
    ...(body[2] !== undefined ? { container: check(nameRules.dnsLabel, body[2], 'container') } : {}),
  };
}

function parseEcs(rest: string, check: Check, fail: Fail): Target {
  const s = rest.split('/');
  const arnAt = s.findIndex((x) => x.startsWith('arn:'));
  if (arnAt >= 0) {
    const prefix = s.slice(0, arnAt);
    const arn = s.slice(arnAt).join('/');
    const m = TASK_ARN.exec(arn);
    if (!m) return fail(`${JSON.stringify(arn)} is not a task ARN (arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID)`);
    const [, arnRegion, account, type, arnCluster, last] = m;
    check(nameRules.awsRegion, arnRegion, 'ARN region');
    check(nameRules.awsAccount, account, 'ARN account');
    if (prefix.length > 2) return fail('ecs: takes [region/]cluster before a task ARN');
    const region = prefix.length === 2 ? check(nameRules.awsRegion, prefix[0], 'region') : undefined;
    const cluster = prefix.length > 0 ? check(nameRules.ecsName, prefix[prefix.length - 1], 'cluster') : undefined;
    if (region !== undefined && region !== arnRegion) return fail(`region ${region} differs from the ARN's ${arnRegion}`);
    if (arnCluster !== undefined) check(nameRules.ecsName, arnCluster, 'ARN cluster');
    if (cluster !== undefined && arnCluster !== undefined && cluster !== arnCluster) return fail(`cluster ${cluster} differs from the ARN's ${arnCluster}`);
    const clusterName = cluster ?? arnCluster ?? fail('a task ARN without a cluster (old format) needs ecs:[region/]cluster/ARN');
    if (type === 'service') return { kind: 'ecs-service', region: arnRegion, cluster: clusterName, service: check(nameRules.ecsName, last, 'service') };
    check(nameRules.ecsTaskId, last, 'task id');
    return { kind: 'ecs', region: arnRegion, cluster: clusterName, task: arn };
  }
  const regionFirst = nameRules.awsRegion.test(s[0] ?? '');
  if (s.length === 2) return { kind: 'ecs', cluster: check(nameRules.ecsName, s[0], 'cluster'), task: check(nameRules.ecsTaskId, s[1], 'task id') };
  if (s.length === 3) {
    // `prod/service/web` is a service, unless it reads as region/cluster-named-service/task-id.
    if (s[1] === 'service' && !(regionFirst && nameRules.ecsTaskId.test(s[2] ?? ''))) {
      return { kind: 'ecs-service', cluster: check(nameRules.ecsName, s[0], 'cluster'), service: check(nameRules.ecsName, s[2], 'service') };
    }
    if (!regionFirst) return fail(`${JSON.stringify(s[0])} is not a region, and three segments are region/cluster/task or cluster/service/NAME`);
    return { kind: 'ecs', region: s[0]!, cluster: check(nameRules.ecsName, s[1], 'cluster'), task: check(nameRules.ecsTaskId, s[2], 'task id') };
  }
  if (s.length === 4 && s[2] === 'service') {
    return { kind: 'ecs-service', region: check(nameRules.awsRegion, s[0], 'region'), cluster: check(nameRules.ecsName, s[1], 'cluster'), service: check(nameRules.ecsName, s[3], 'service') };
  }
  return fail(`ecs: takes [region/]cluster/task or [region/]cluster/service/NAME, got ${s.length} segment${s.length === 1 ? '' : 's'}`);
}

function parseLambda(rest: string, check: Check, fail: Fail): Target {
  if (rest.startsWith('arn:')) {
    const m = FUNCTION_ARN.exec(rest);
    if (!m) return fail(`${JSON.stringify(rest)} is not a function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])`);
    const [, region, account, name, qualifier] = m;
    check(nameRules.awsAccount, account, 'ARN account');
    return lambda(check(nameRules.awsRegion, region, 'ARN region'), check(nameRules.lambdaName, name, 'function'), qualifier === undefined ? undefined : check(nameRules.lambdaQualifier, qualifier, 'qualifier'));
  }
  const s = rest.split('/');
  if (s.length > 2) return fail(`lambda: takes [region/]function[:qualifier], got ${s.length} segments`);
  const region = s.length === 2 ? check(nameRules.awsRegion, s[0], 'region') : undefined;
  const fn = s[s.length - 1] ?? '';
  const colon = fn.indexOf(':');
  const name = colon < 0 ? fn : fn.slice(0, colon);
  const qualifier = colon < 0 ? undefined : check(nameRules.lambdaQualifier, fn.slice(colon + 1), 'qualifier');
  return lambda(region, check(nameRules.lambdaName, name, 'function'), qualifier);
}

function lambda(region: string | undefined, functionName: string, qualifier: string | undefined): Target {
  return { kind: 'lambda', ...(region !== undefined ? { region } : {}), functionName, ...(qualifier !== undefined ? { qualifier } : {}) };
}
