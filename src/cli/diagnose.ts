import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliDeps, CliIo } from './run-cli.js';
import { explainEvidence } from './explain-files.js';
import { readConfig } from '../config/read-config.js';
import { parseTarget } from '../targets/parse-target.js';
import { checkTargetConfig } from '../targets/check-target-config.js';
import { loadRunbooks } from '../runbooks/load-runbooks.js';
import { pickRunbook } from '../runbooks/pick-runbook.js';
import { runRunbook, type StepReport, type StepStatus } from '../runbooks/run-runbook.js';
import { sources as registeredSources } from '../sources/index.js';
import { createClients } from '../clients/create-clients.js';
import { toJson } from '../surfaces/to-json.js';
import { toText } from '../surfaces/cli/to-text.js';
import { Why137Error } from '../errors/why137-error.js';
import { targetPlace } from '../targets/target-place.js';

const USAGE_LINE = 'why137 diagnose [--json] [--config F] [--save-artifacts DIR] [--runbook NAME] TARGET';

/**
 * `why137 diagnose TARGET`: parse and check the target, load the runbooks, run the target's runbook
 * against the live systems and print exactly what `explain` prints for the evidence it collected.
 * Exit 0 with a verdict even when sources were unavailable (the verdict says what it could not see).
 * `--save-artifacts DIR` writes every raw object so `why137 explain DIR/*` replays the same verdict.
 */
export async function diagnose(args: string[], io: CliIo, env: NodeJS.ProcessEnv, deps: CliDeps = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true,
      options: { 'json': { type: 'boolean', default: false }, 'config': { type: 'string' }, 'save-artifacts': { type: 'string' }, 'runbook': { type: 'string' } },
    });
  } catch (err) {
    throw new Why137Error('why137_usage', `diagnose: ${(err as Error).message}; expected: ${USAGE_LINE}`);
  }
  if (parsed.positionals.length !== 1) {
    throw new Why137Error('why137_usage', `diagnose: ${parsed.positionals.length === 0 ? 'no TARGET given' : `one TARGET expected, got ${parsed.positionals.length}`}; expected: ${USAGE_LINE}`);
  }
  const config = readConfig(env, parsed.values.config);
  const target = parseTarget(parsed.positionals[0]!, { kubeContexts: config.kubernetes.contexts });
  checkTargetConfig(target, config);
  const sources = deps.sources ?? registeredSources;
  const runbooks = loadRunbooks({ sources, userDir: config.runbooks.dir, builtinDir: deps.builtinRunbooksDir });
  const runbook = pickRunbook(runbooks, target.kind, parsed.values.runbook);
  const saveDir = parsed.values['save-artifacts'];
  if (saveDir !== undefined) await prepareDir(saveDir);

  const progress = (io.stderr as { isTTY?: boolean }).isTTY ? (id: string, status: 'running' | StepStatus, r?: StepReport): void => {
    if (status !== 'running') io.stderr.write(`  ${id}: ${status}${r ? ` (${r.ms} ms${r.fault ? `, ${r.fault}` : ''})` : ''}\n`);
  } : undefined;
  const result = await runRunbook(runbook, {
    target, sources,
    clients: (deps.createClients ?? createClients)(config, env),
    window: config.window,
    ...(deps.retry ? { retry: deps.retry } : {}),
    onStep: (id, status, report) => { progress?.(id, status, report); deps.onStep?.(id, status, report); },
    ...(saveDir !== undefined ? { citeAs: (name: string) => path.join(saveDir, name) } : {}),
  });

  if (saveDir !== undefined) {
    for (const [name, content] of Object.entries(result.artifacts)) await writeFile(path.join(saveDir, name), content, { flag: 'wx' });
    // Dot-files: kept for a person, skipped by `explain DIR/*` (a shell glob does not match them).
    for (const [name, content] of Object.entries(result.unparsed)) await writeFile(path.join(saveDir, `.${name}`), content, { flag: 'wx' });
    const record = { target, runbook: runbook.name, steps: result.steps, unavailable: result.evidence.filter((e) => e.kind === 'source.unavailable') };
    await writeFile(path.join(saveDir, '.why137-diagnose.json'), `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' });
  }
  const x = explainEvidence(result.evidence, result.inputs, targetPlace(target));
  io.stdout.write(parsed.values.json ? `${toJson(x)}\n` : toText(x));
  return 0;
}

/** A new or empty directory: `explain DIR/*` replays every file in it, so stale files would change the verdict. */
async function prepareDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const existing = await readdir(dir);
    if (existing.length > 0) throw new Why137Error('why137_usage', `--save-artifacts ${dir}: not empty (${existing.length} entries); expected a new or empty directory, since explain ${path.join(dir, '*')} replays every file in it`);
  } catch (err) {
    if (err instanceof Why137Error) throw err;
    throw new Why137Error('why137_usage', `--save-artifacts ${dir}: ${(err as NodeJS.ErrnoException).code ?? 'cannot create'}; expected a writable directory`, { cause: err });
  }
}
