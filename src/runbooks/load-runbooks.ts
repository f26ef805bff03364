import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { runbookSchema, type Runbook, type RunbookFile, type RunbookStep } from './runbook-schema.js';
import { parseDuration } from './parse-duration.js';
import type { SourceRegistry } from '../sources/index.js';
import { Why137Error } from '../errors/why137-error.js';

export interface LoadRunbooksOptions {
  /** Sources a step may name; params are validated against each source's schema. */
  sources: SourceRegistry;
  /** config.runbooks.dir: extra runbooks; one with a built-in's `name` replaces it. */
  userDir?: string;
  /** The built-in runbooks (default: runbooks/ at the package root). */
  builtinDir?: string;
}

/**
 * Reads and validates every runbook (built-in, then the user's), at start-up. Any problem throws
 * why137_runbook_invalid with one line naming the file and the field: YAML errors, schema errors,
 * duplicate step ids, unknown sources, bad params, bad durations, unknown needs, cycles.
 */
export function loadRunbooks(options: LoadRunbooksOptions): Map<string, Runbook> {
  const builtinDir = options.builtinDir ?? defaultBuiltinDir();
  const runbooks = new Map<string, Runbook>();
  for (const rb of loadDir(builtinDir, options.sources)) runbooks.set(rb.name, rb);
  if (options.userDir !== undefined) {
    let isDir = false;
    try { isDir = statSync(options.userDir).isDirectory(); } catch { /* reported below */ }
    if (!isDir) throw new Why137Error('why137_runbook_invalid', `runbooks.dir ${options.userDir}: no such directory; expected a directory of runbook YAML files`);
    for (const rb of loadDir(options.userDir, options.sources)) runbooks.set(rb.name, rb);
  }
  return runbooks;
}

function defaultBuiltinDir(): string {
  // Compiled to dist/src/runbooks/; run from src/runbooks/ by tools that execute TypeScript directly.
  const candidates = ['../../../runbooks/', '../../runbooks/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((d) => existsSync(d)) ?? candidates[0]!;
}

function loadDir(dir: string, sources: SourceRegistry): Runbook[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const byName = new Map<string, string>();
  const out: Runbook[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const rb = loadFile(file, sources);
    const other = byName.get(rb.name);
    if (other) fail(file, 'name', `${JSON.stringify(rb.name)} is also the name of ${other}; expected one runbook per name in a directory`);
    byName.set(rb.name, file);
    out.push(rb);
  }
  return out;
}

function fail(file: string, field: string, problem: string): never {
  throw new Why137Error('why137_runbook_invalid', `${file}: ${field}: ${problem}`);
}

/** Reads and validates one runbook file. */
function loadFile(file: string, sources: SourceRegistry): Runbook {
  const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) fail(file, `line ${yamlError.linePos?.[0]?.line ?? '?'}`, `${(yamlError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}; expected YAML`);
  const parsed = runbookSchema.safeParse(doc.toJS({ maxAliasCount: 50 }) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(file, fieldOf(issue.path, issue), messageOf(issue));
  }
  const rb: RunbookFile = parsed.data;
  const ids = rb.steps.map((s) => s.id);
  const steps: RunbookStep[] = rb.steps.map((s, i) => {
    const at = `steps[${i}]`;
    if (ids.indexOf(s.id) !== i) fail(file, `${at}.id`, `duplicate step id ${JSON.stringify(s.id)}; expected unique ids`);
    const source = sources[s.source];
    if (!source) fail(file, `${at}.source`, `unknown source ${JSON.stringify(s.source)}; expected one of: ${Object.keys(sources).sort().join(', ') || '(no sources registered)'}`);
    const params = source.params.safeParse(s.params ?? {});
    if (!params.success) {
      const issue = params.error.issues[0]!;
      fail(file, fieldOf([...issue.path], issue, `${at}.params`), `${messageOf(issue, s.source)} (params of ${s.source})`);
    }
    const timeoutMs = parseDuration(s.timeout);
    if (timeoutMs === null) fail(file, `${at}.timeout`, `${JSON.stringify(s.timeout)} is not a duration; expected e.g. 500ms, 5s or 2m (more than 0, at most 10m)`);
    s.needs.forEach((n, j) => {
      if (!ids.includes(n)) fail(file, `${at}.needs[${j}]`, `unknown step ${JSON.stringify(n)}; expected one of: ${ids.filter((x) => x !== s.id).join(', ') || '(no other steps)'}`);
      if (s.needs.indexOf(n) !== j) fail(file, `${at}.needs[${j}]`, `${JSON.stringify(n)} is listed twice; expected each need once`);
    });
    return { id: s.id, source: s.source, params: params.data, timeoutMs, needs: s.needs, optional: s.optional };
  });
  const cycle = findCycle(steps);
  if (cycle) fail(file, `steps[${ids.indexOf(cycle[0]!)}].needs`, `cycle ${cycle.join(' -> ')}; expected needs without cycles`);
  return { name: rb.name, ...(rb.description !== undefined ? { description: rb.description } : {}), target: rb.target, file, steps };
}

/** A dependency cycle as step ids (first repeated at the end), or null. */
function findCycle(steps: RunbookStep[]): string[] | null {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const n of byId.get(id)?.needs ?? []) {
      const found = visit(n);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const s of steps) {
    const found = visit(s.id);
    if (found) return found;
  }
  return null;
}

function fieldOf(p: readonly PropertyKey[], issue: z.core.$ZodIssue, prefix = ''): string {
  const keys = issue.code === 'unrecognized_keys' ? [...p, issue.keys[0] ?? ''] : [...p];
  const joined = keys.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), prefix);
  return joined || '(top level)';
}

function messageOf(issue: z.core.$ZodIssue, source?: string): string {
  if (issue.code === 'unrecognized_keys') {
    return source ? `unknown param; expected only the params ${source} takes` : 'unknown key; expected only name, description, target, steps (and id, source, params, timeout, needs, optional in a step)';
  }
  const m = issue.message.replace(/^Invalid [a-z ]*: /i, '');
  return m.startsWith('expected') ? m : `expected ${m}`;
}
