import type { RuntimeSettings } from '../diagnosis/evidence.js';
import { parseSize } from './parse-size.js';

export interface RuntimeInput {
  /** Env vars; `value` is absent when it comes from a secret/ref. Values are read here and never kept. */
  env?: { name: string; value?: string | undefined }[];
  /** Entrypoint + command/args as one list. */
  command?: string[];
  image?: string;
  /** Lambda runtime id (`nodejs18.x`, `java17`, `python3.12`, `go1.x`, `provided.al2023`). */
  lambdaRuntime?: string;
}

const JVM_ENV = ['JAVA_TOOL_OPTIONS', 'JAVA_OPTS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'JVM_OPTS', 'CATALINA_OPTS'];
const WORKER_ENV = ['WEB_CONCURRENCY', 'GUNICORN_WORKERS', 'WORKERS', 'UVICORN_WORKERS'];

/**
 * Reads the memory-related runtime settings of one container or function from its env, command and image.
 * Only settings (numbers, flags) and env names come out; no env value is kept.
 */
export function runtimeSettings(input: RuntimeInput): RuntimeSettings {
  const env = new Map<string, string | undefined>();
  for (const e of input.env ?? []) env.set(e.name, e.value);
  const command = input.command ?? [];
  const cmdline = command.join(' ');
  const image = input.image ?? '';
  const s: RuntimeSettings = { envNames: [...env.keys()], settingSources: {} };
  const src = s.settingSources!;

  const detected = detectRuntime(env, command, image, input.lambdaRuntime);
  if (detected.runtime) s.runtime = detected.runtime;
  if (detected.version !== undefined) s.runtimeVersion = detected.version;
  if (detected.runtime === 'jvm' && detected.version === 8) {
    const u = /(?:^|[^\d])8u(\d+)|1\.8\.0_(\d+)/.exec(`${env.get('JAVA_VERSION') ?? ''} ${image}`);
    if (u) s.jvmUpdate = Number(u[1] ?? u[2]);
  }

  // Node heap ceiling: NODE_OPTIONS wins over nothing; an explicit arg on the command line also counts.
  const nodeOpt = env.get('NODE_OPTIONS');
  const heapFromEnv = nodeOpt ? maxOldSpace(nodeOpt) : undefined;
  const heapFromArgs = maxOldSpace(cmdline);
  if (heapFromArgs !== undefined) { s.nodeMaxOldSpaceMb = heapFromArgs; src.nodeMaxOldSpaceMb = 'command'; }
  else if (heapFromEnv !== undefined) { s.nodeMaxOldSpaceMb = heapFromEnv; src.nodeMaxOldSpaceMb = 'NODE_OPTIONS'; }

  // JVM: flags may be in any of the env vars the launcher reads, or on the java command line.
  const jvmSources: [string, string][] = JVM_ENV.filter((n) => env.get(n)).map((n) => [n, env.get(n)!]);
  if (/\bjava\b/.test(cmdline) || /-Xmx|MaxRAMPercentage/.test(cmdline)) jvmSources.push(['command', cmdline]);
  for (const [name, text] of jvmSources) {
    const xmx = /(?:^|\s)-(?:Xmx|XX:MaxHeapSize=)(\d+(?:\.\d+)?[kKmMgGtT]?)(?=\s|$)/.exec(text);
    if (xmx) { const b = parseSize(xmx[1]!); if (b !== undefined) { s.jvmXmxBytes = b; src.jvmXmxBytes = name; } }
    const pct = /-XX:MaxRAMPercentage=(\d+(?:\.\d+)?)/.exec(text);
    if (pct) { s.jvmMaxRamPercentage = Number(pct[1]); src.jvmMaxRamPercentage = name; }
    // Java 8's older spelling: the heap is 1/N of the RAM the JVM sees.
    const fraction = /-XX:MaxRAMFraction=(\d+)/.exec(text);
    if (fraction && !pct && Number(fraction[1]) > 0) { s.jvmMaxRamPercentage = 100 / Number(fraction[1]); src.jvmMaxRamPercentage = name; }
    if (/-XX:\+UseCGroupMemoryLimitForHeap/.test(text)) { s.jvmCgroupHeapFlag = true; src.jvmCgroupHeapFlag = name; }
    if (/-XX:-UseContainerSupport/.test(text)) { s.jvmContainerSupportDisabled = true; src.jvmContainerSupportDisabled = name; }
  }

  const gml = env.get('GOMEMLIMIT');
  if (gml !== undefined && env.has('GOMEMLIMIT')) {
    if (gml.trim().toLowerCase() === 'off') { s.goMemLimitOff = true; src.goMemLimitOff = 'GOMEMLIMIT'; }
    else { const b = parseSize(gml); if (b !== undefined) { s.goMemLimitBytes = b; src.goMemLimitBytes = 'GOMEMLIMIT'; } }
  }

  const workers = /(?:^|\s)(?:-w|--workers)(?:=|\s+)(\d+)\b/.exec(cmdline) ?? /--workers[= ](\d+)/.exec(env.get('GUNICORN_CMD_ARGS') ?? '');
  if (workers) { s.workers = Number(workers[1]); src.workers = workers.input === cmdline ? 'command' : 'GUNICORN_CMD_ARGS'; }
  else {
    const name = WORKER_ENV.find((n) => env.get(n) && /^\d+$/.test(env.get(n)!.trim()));
    if (name) { s.workers = Number(env.get(name)!.trim()); src.workers = name; }
  }
  if (/cpu_count\(\)|\$\(nproc\)|`nproc`|os\.cpus\(\)/.test(cmdline)) { s.workersFromCpuCount = true; src.workersFromCpuCount = 'command'; }
  // Celery's worker pool defaults to one process per CPU unless -c/--concurrency is given.
  else if (/\bcelery\b.*\bworker\b/.test(cmdline) && !/(?:^|\s)(?:-c|--concurrency)(?:=|\s)/.test(cmdline) && !env.has('CELERYD_CONCURRENCY') && !env.has('CELERY_WORKER_CONCURRENCY')) {
    s.workersFromCpuCount = true; src.workersFromCpuCount = 'command';
  }
  return s;
}

function maxOldSpace(text: string): number | undefined {
  const m = /--max[-_]old[-_]space[-_]size(?:=|\s+)(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function detectRuntime(env: Map<string, string | undefined>, command: string[], image: string, lambdaRuntime?: string): { runtime?: RuntimeSettings['runtime']; version?: number } {
  if (lambdaRuntime) {
    const lr = lambdaRuntime.toLowerCase();
    let m = /^nodejs(\d+)/.exec(lr); if (m) return { runtime: 'node', version: Number(m[1]) };
    m = /^java(\d+)/.exec(lr); if (m) return { runtime: 'jvm', version: Number(m[1]) };
    m = /^python(\d+)/.exec(lr); if (m) return { runtime: 'python', version: Number(m[1]) };
    m = /^dotnet(?:core)?(\d+)/.exec(lr); if (m) return { runtime: 'dotnet', version: Number(m[1]) };
    m = /^ruby(\d+)/.exec(lr); if (m) return { runtime: 'ruby', version: Number(m[1]) };
    if (lr.startsWith('go')) return { runtime: 'go' };
  }
  const versionEnv = (name: string) => { const v = env.get(name); const m = v ? /^v?(\d+)/.exec(v) : null; return m ? Number(m[1]) : undefined; };
  const imageName = image.split('@')[0]!.toLowerCase();
  const repo = imageName.replace(/:[^/:]*$/, '');
  const tag = imageName.includes(':') && !/:[^/:]*\//.test(imageName.slice(imageName.lastIndexOf(':'))) ? imageName.slice(imageName.lastIndexOf(':') + 1) : '';
  const base = repo.split('/').pop() ?? '';
  const tagMajor = (() => { const m = /^v?(\d+)/.exec(tag); return m ? Number(m[1]) : undefined; })();
  const exe = (command[0] ?? '').split('/').pop() ?? '';
  const cmd = command.join(' ');

  if (env.has('NODE_VERSION') || base === 'node' || /^node(js)?(\b|-)/.test(base) || ['node', 'npm', 'npx', 'yarn', 'pnpm'].includes(exe) || env.has('NODE_OPTIONS')) {
    return withVersion('node', versionEnv('NODE_VERSION') ?? (base === 'node' || base.startsWith('node') ? tagMajor : undefined));
  }
  if (env.has('JAVA_VERSION') || env.has('JAVA_HOME') || /openjdk|temurin|corretto|zulu|jdk|jre|java|tomcat|maven|gradle|liberica|semeru/.test(base) || exe === 'java' || JVM_ENV.some((n) => env.has(n))) {
    const jv = env.get('JAVA_VERSION');
    let version: number | undefined;
    if (jv) { const m = /^(?:jdk-?)?1\.(\d+)|^(?:jdk-?)?(\d+)/.exec(jv); version = m ? Number(m[1] ?? m[2]) : undefined; }
    if (version === undefined && tagMajor !== undefined && /openjdk|temurin|corretto|zulu|jdk|jre|java|liberica|semeru/.test(base)) version = tagMajor === 1 ? undefined : tagMajor;
    return withVersion('jvm', version);
  }
  if (env.has('GOMEMLIMIT') || env.has('GOLANG_VERSION') || env.has('GOGC') || /^golang/.test(base)) return { runtime: 'go' };
  if (env.has('PYTHON_VERSION') || /^python|pypy/.test(base) || /^python[0-9.]*$/.test(exe) || /\b(gunicorn|uvicorn|celery|hypercorn|daphne)\b/.test(cmd)) {
    return withVersion('python', versionEnv('PYTHON_VERSION') ?? (base.startsWith('python') ? tagMajor : undefined));
  }
  if (/dotnet|aspnet/.test(repo) || exe === 'dotnet') return { runtime: 'dotnet' };
  if (env.has('RUBY_VERSION') || /^ruby/.test(base) || ['ruby', 'bundle', 'puma', 'rails'].includes(exe)) return withVersion('ruby', versionEnv('RUBY_VERSION'));
  return { runtime: 'unknown' };
}

function withVersion(runtime: RuntimeSettings['runtime'], version: number | undefined): { runtime?: RuntimeSettings['runtime']; version?: number } {
  return version === undefined ? { runtime } : { runtime, version };
}
