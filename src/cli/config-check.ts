import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { CliDeps, CliIo } from './run-cli.js';
import { readConfig } from '../config/read-config.js';
import type { Config } from '../config/config-schema.js';
import type { Clients } from '../clients/clients.js';
import { createClients } from '../clients/create-clients.js';
import { loadRunbooks } from '../runbooks/load-runbooks.js';
import { classifyFault } from '../runbooks/classify-fault.js';
import { sources as registeredSources } from '../sources/index.js';
import { Observable, type ConfigurationOptions } from '@kubernetes/client-node';
import { Why137Error } from '../errors/why137-error.js';
import { redact } from '../util/redact.js';

// A cheap read answers in well under a second; a source silent this long is as good as unreachable.
const PROBE_TIMEOUT_MS = 10_000;
const LOCAL_DOCKER_SOCKET = '/var/run/docker.sock';
/** Exit code when the config is valid but a source is denied or unreachable. */
const EXIT_UNREACHABLE = 3;

type Status = 'reachable' | 'denied' | 'unreachable' | 'not configured' | 'skipped';

interface Probe {
  source: string;
  target: string;
  /** Undefined: nothing to try, `why` says so. */
  run?: (clients: Clients, signal: AbortSignal) => Promise<unknown>;
  why?: string;
}

/**
 * `why137 config check`: validates the config file and the runbooks, then tries each configured source
 * with one cheap read (kube list namespaces limit 1, ECS ListClusters, Lambda ListFunctions, Logs
 * DescribeLogGroups, docker ping, ssh `true`) and prints source | target | status | detail.
 * Exit 0 when every tried source is reachable, 3 when one is denied or unreachable, 2 for a bad config.
 */
export async function configCheck(args: string[], io: CliIo, env: NodeJS.ProcessEnv, deps: CliDeps = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: false, options: { config: { type: 'string' } } });
  } catch (err) {
    throw new Why137Error('why137_usage', `config check: ${(err as Error).message}; expected: why137 config check [--config F]`);
  }
  const config = readConfig(env, parsed.values.config);
  const runbooks = loadRunbooks({ sources: deps.sources ?? registeredSources, userDir: config.runbooks.dir, builtinDir: deps.builtinRunbooksDir });
  io.stdout.write(`config: valid (${parsed.values.config ?? env.WHY137_CONFIG ?? 'defaults'}); runbooks: ${[...runbooks.keys()].sort().join(', ')}\n\n`);

  const clients = (deps.createClients ?? createClients)(config, env);
  const rows = await Promise.all(probes(config, env, deps.localDockerSocket ?? LOCAL_DOCKER_SOCKET).map((p) => runProbe(p, clients)));
  io.stdout.write(table([['source', 'target', 'status', 'detail'], ...rows.map((r) => [r.source, r.target, r.status, r.detail])]));
  return rows.some((r) => r.status === 'denied' || r.status === 'unreachable') ? EXIT_UNREACHABLE : 0;
}

function probes(config: Config, env: NodeJS.ProcessEnv, dockerSocket: string): Probe[] {
  const out: Probe[] = [];
  const contexts = config.kubernetes.contexts.length > 0 ? config.kubernetes.contexts : [undefined];
  for (const ctx of contexts) {
    out.push({ source: 'kubernetes', target: ctx ?? (config.kubernetes.inCluster ? '(in-cluster)' : '(current context)'), run: (c, signal) => c.kubernetes(ctx).core.listPodForAllNamespaces({ limit: 1 }, withSignal(signal)) });
  }
  const awsConfigured = config.aws.region !== undefined || config.aws.regions.length > 0 || config.aws.profile !== undefined;
  if (!awsConfigured) {
    out.push({ source: 'aws', target: '-', why: 'set aws.region (or AWS_REGION) to check ECS, Lambda and CloudWatch Logs' });
  } else {
    const regions = config.aws.regions.length > 0 ? config.aws.regions : [config.aws.region];
    for (const region of regions) {
      const where = region ?? '(default region)';
      out.push({ source: 'ecs', target: where, run: (c, signal) => c.ecs(region).send(new ListClustersCommand({ maxResults: 1 }), { abortSignal: signal }) });
      out.push({ source: 'lambda', target: where, run: (c, signal) => c.lambda(region).send(new ListFunctionsCommand({ MaxItems: 1 }), { abortSignal: signal }) });
      out.push({ source: 'logs', target: where, run: (c, signal) => c.logs(region).send(new DescribeLogGroupsCommand({ limit: 1 }), { abortSignal: signal }) });
    }
  }
  const ping = (host: string | undefined) => (c: Clients, signal: AbortSignal): Promise<unknown> => (c.docker(host).ping as (opts: { abortSignal: AbortSignal }) => Promise<unknown>)({ abortSignal: signal });
  if (env.DOCKER_HOST || existsSync(dockerSocket)) out.push({ source: 'docker', target: env.DOCKER_HOST || `unix://${dockerSocket}`, run: ping(undefined) });
  for (const host of Object.keys(config.docker.hosts)) out.push({ source: 'docker', target: host, run: ping(host) });
  for (const h of config.ssh.hosts) {
    // The executor is looked up by node name, as a diagnosis would: the match itself, when it has no wildcard.
    const name = /[*?]/.test(h.match) ? undefined : h.match;
    if (name === undefined) out.push({ source: 'ssh', target: h.match, why: 'the match has wildcards and no host: tried when a diagnosis names a node' });
    else out.push({ source: 'ssh', target: name, run: (c, signal) => c.ssh(name).exec('true', { signal, maxBytes: 1024 }).then((r) => { if (r.code !== 0) throw new Error(`\`true\` exited ${r.code}: ${r.stderr.trim().slice(0, 200)}`); }) });
  }
  return out;
}

async function runProbe(p: Probe, clients: Clients): Promise<{ source: string; target: string; status: Status; detail: string }> {
  if (!p.run) return { source: p.source, target: p.target, status: p.why?.startsWith('set ') ? 'not configured' : 'skipped', detail: p.why ?? '' };
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new DOMException(`no answer within ${PROBE_TIMEOUT_MS / 1000}s`, 'TimeoutError')), PROBE_TIMEOUT_MS);
  const started = performance.now();
  try {
    const aborted = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true }));
    await Promise.race([Promise.resolve().then(() => p.run!(clients, ac.signal)), aborted]);
    return { source: p.source, target: p.target, status: 'reachable', detail: `answered in ${Math.round(performance.now() - started)} ms` };
  } catch (err) {
    const { fault, detail } = classifyFault(err);
    // Throttled or not found still means the API answered us.
    const status: Status = fault === 'denied' ? 'denied' : fault === 'invalid' ? 'not configured' : fault === 'throttled' || fault === 'not_found' ? 'reachable' : 'unreachable';
    return { source: p.source, target: p.target, status, detail: redact(`${fault}: ${detail}`) };
  } finally {
    clearTimeout(timer);
  }
}

/** client-node takes no AbortSignal argument: a request middleware attaches it. */
function withSignal(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [{ pre: (request) => { request.setSignal(signal); return new Observable(Promise.resolve(request)); }, post: (response) => new Observable(Promise.resolve(response)) }],
    middlewareMergeStrategy: 'append',
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r, n) => {
    const line = r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join(' | ');
    return n === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}` : line;
  }).join('\n').concat('\n');
}
