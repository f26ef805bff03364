import { PassThrough } from 'node:stream';
import { runCli, type CliDeps } from '../../src/cli/run-cli.js';

/** Runs the CLI in-process with the given env and deps, and returns its exit code and what it printed. */
export async function runCliCaptured(argv: string[], deps: CliDeps, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const code = await runCli(argv, { stdout, stderr, env }, deps);
  return { code, stdout: out, stderr: err };
}
