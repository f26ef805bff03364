import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { explainFiles } from './explain-files.js';
import { toJson } from '../surfaces/to-json.js';
import { toText } from '../surfaces/cli/to-text.js';
import { Why137Error } from '../errors/why137-error.js';
import { toWhy137Error } from '../errors/to-why137-error.js';

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin?: Readable;
}

export const USAGE = `usage:
  why137 explain [--json] FILE...     diagnose pasted artifacts (- reads standard input)
  why137 help

FILE may be: docker inspect / docker events output, kubectl get pod|events|node -o json|yaml,
kubectl describe pod text, aws ecs describe-tasks / describe-task-definition output, a kernel log
(dmesg, journalctl -k, kern.log), Lambda CloudWatch log text, aws logs get-query-results JSON,
aws lambda get-function-configuration output, or container logs with a runtime OOM message.`;

/** The CLI: returns the process exit code (0 verdict, 2 bad input or usage, 1 internal error). Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'explain': return await explain(rest, io);
      case undefined: case 'help': case '--help': case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new Why137Error('why137_usage', `${command}: unknown command; expected explain or help`);
    }
  } catch (err) {
    const e = toWhy137Error(err, command ?? 'why137');
    io.stderr.write(`why137: ${e.message} (${e.code})\n`);
    if (e.code === 'why137_internal' && e.cause instanceof Error && process.env.WHY137_DEBUG) io.stderr.write(`${e.cause.stack}\n`);
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
