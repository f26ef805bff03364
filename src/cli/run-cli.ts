import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { explainFiles } from './explain-files.js';
import type { SourceRegistry } from '../sources/index.js';
import type { Config } from '../config/config-schema.js';
import type { Clients } from '../clients/clients.js';
import type { RunRunbookOptions } from '../runbooks/run-runbook.js';
import { toJson } from '../surfaces/to-json.js';
import { toText } from '../surfaces/cli/to-text.js';
import { Why137Error } from '../errors/why137-error.js';
import { toWhy137Error } from '../errors/to-why137-error.js';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin?: Readable;
  /** The environment config is read from (WHY137_CONFIG, AWS_REGION, key env vars); the process's when absent. */
  env?: NodeJS.ProcessEnv;
}

/** What tests replace: the source registry, the client factory, the built-in runbooks, backoff, progress. */
export interface CliDeps {
  sources?: SourceRegistry;
  createClients?: (config: Config, env: NodeJS.ProcessEnv) => Clients;
  builtinRunbooksDir?: string;
  retry?: RunRunbookOptions['retry'];
  onStep?: RunRunbookOptions['onStep'];
  /** Where `config check` looks for the local Docker engine. */
  localDockerSocket?: string;
}

export const USAGE = `usage:
  why137 explain [--json] FILE...     diagnose pasted artifacts (- reads standard input)
  why137 diagnose [--json] [--config F] [--save-artifacts DIR] [--runbook NAME] TARGET
                                      collect the artifacts live with the target's runbook, then explain them
  why137 config check [--config F]    validate the config and runbooks, try one cheap read per source
  why137 serve [--config F]           run the Slack bot (/why137): Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT
  why137 help

TARGET is one of: k8s:[context/]namespace/pod[/container],
k8s:[context/]namespace/deployment|statefulset|daemonset|job/NAME[/container],
ecs:[region/]cluster/TASK-ID (or the task ARN), ecs:[region/]cluster/service/NAME,
docker:[host/]container, lambda:[region/]function[:qualifier] (or the function ARN), host:NAME.
--save-artifacts DIR writes every raw object collected; why137 explain DIR/* replays the verdict.
The config file is --config F, else WHY137_CONFIG, else ./why137.yaml (see examples/config.yaml).
Exit codes: 0 a verdict (also when some sources were unavailable), 2 bad input, target, config or
runbook, 3 config check found a source denied or unreachable, 1 internal error.

FILE may be: docker inspect / docker events output, kubectl get pod|events|node -o json|yaml,
kubectl describe pod text, aws ecs describe-tasks / describe-task-definition output, a kernel log
(dmesg, journalctl -k, kern.log), Lambda CloudWatch log text, aws logs get-query-results JSON,
aws lambda get-function-configuration output, or container logs with a runtime OOM message.`;

/** The CLI: returns the process exit code (0 verdict, 2 bad input or usage, 1 internal error). Never throws. */
export async function runCli(argv: string[], io: CliIo, deps: CliDeps = {}): Promise<number> {
  const [command, ...rest] = argv;
  // The CLI is the process boundary: the one place besides readConfig's default that sees process.env.
  const env = io.env ?? process.env;
  try {
    switch (command) {
      case 'explain': return await explain(rest, io);
      // Live commands load the SDKs; `explain` should not pay for them at start-up.
      case 'diagnose': return await (await import('./diagnose.js')).diagnose(rest, io, env, deps);
      // The Slack bot: Bolt and the server load only for this command.
      case 'serve': return await (await import('./serve.js')).serve(rest, io, env, deps);
      case 'config':
        if (rest[0] !== 'check') throw new Why137Error('why137_usage', `config ${rest[0] ?? ''}: unknown subcommand; expected: why137 config check [--config F]`);
        return await (await import('./config-check.js')).configCheck(rest.slice(1), io, env, deps);
      case undefined: case 'help': case '--help': case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new Why137Error('why137_usage', `${command}: unknown command; expected explain, diagnose, config check, serve or help`);
    }
  } catch (err) {
    const e = toWhy137Error(err, command ?? 'why137');
    io.stderr.write(`why137: ${e.message} (${e.code})\n`);
    if (e.code === 'why137_internal' && e.cause instanceof Error && env.WHY137_DEBUG) io.stderr.write(`${e.cause.stack}\n`);
    return e.code === 'why137_internal' ? 1 : 2;
  }
}

async function explain(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  } catch (err) {
    throw new Why137Error('why137_usage', `explain: ${(err as Error).message}; expected: why137 explain [--json] FILE...`);
  }
  if (parsed.positionals.length === 0) throw new Why137Error('why137_usage', 'explain: no FILE given; expected: why137 explain [--json] FILE... (- for standard input)');
  const x = await explainFiles(parsed.positionals, io.stdin);
  io.stdout.write(parsed.values.json ? `${toJson(x)}\n` : toText(x));
  return 0;
}
