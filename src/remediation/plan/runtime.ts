import type { Change, ProposalAction } from '../proposal.js';
import type { EnvEdit as AppliedEnvEdit } from '../edit.js';
import type { CauseCode, FactorCode } from '../../diagnosis/verdict.js';
import type { RuntimeSettings } from '../../diagnosis/evidence.js';
import type { PlanContext } from './plan-context.js';
import {
  HEADROOM_FACTOR, HEAP_SHARE_OF_LIMIT, JVM_DEFAULT_RAM_PERCENTAGE, JVM_FIRST_MAJOR_WITH_RAM_PERCENTAGE,
  MIB, MIN_CEILING_GAIN, goMemLimitMiB, heapCeilingMiB,
} from './sizing.js';
import { formatMiB } from './format.js';
import { workersFix } from './workers-fix.js';

/**
 * An edit of one environment variable. `flag`: the variable is a list of flags (NODE_OPTIONS,
 * JAVA_TOOL_OPTIONS); the flags matching `remove` go, `set` is added, every other flag stays and is
 * never printed. `value`: the variable is one setting (GOMEMLIMIT) and is replaced whole.
 */
export interface EnvEdit {
  variable: string;
  mode: 'flag' | 'value';
  set: string;
  /** POSIX ERE patterns (also valid Oniguruma for jq) of the flags to take out; no quotes or backslashes. */
  remove: string[];
  /** The variable exists today (so a flag edit must merge, not overwrite). */
  exists: boolean;
}

/** A runtime setting change, platform-neutral; each platform planner turns it into its command. */
export interface RuntimeFix {
  kind: 'node-heap' | 'jvm-percentage' | 'jvm-xmx' | 'gomemlimit' | 'workers';
  action: Extract<ProposalAction, 'set_runtime_heap' | 'set_jvm_ram_percentage' | 'set_gomemlimit' | 'reduce_workers'>;
  title: string;
  changes: Change[];
  /** Absent when the setting lives in the command line or a config file: then `manual` says what to change. */
  edit?: EnvEdit;
  /** The same change as executors apply it (flag name and value, not patterns); present exactly when `edit` is. */
  env?: AppliedEnvEdit;
  manual?: string;
  why: string;
  risk: string;
  addresses: (CauseCode | FactorCode)[];
}

/** Why a fix is proposed: the runtime ignores the limit, its ceiling is at/above it, or the ceiling was hit. */
type Reason = 'unaware' | 'above' | 'raise';

const NODE_HEAP_FLAG = '--max[-_]old[-_]space[-_]size[= ][0-9]+';
const JVM_HEAP_FLAGS = ['-Xmx[0-9.]+[kKmMgGtT]?', '-XX:MaxHeapSize=[0-9.]+[kKmMgGtT]?', '-XX:MaxRAMPercentage=[0-9.]+', '-XX:-UseContainerSupport'];
const JVM_DEFAULT_ENV = 'JAVA_TOOL_OPTIONS';
// The same flags by name, for executors: whichever of them is not the one set goes, or it would override it
// (-Xmx and MaxHeapSize beat MaxRAMPercentage; -UseContainerSupport makes the percentage one of host RAM).
const JVM_HEAP_FLAG_NAMES = ['-Xmx', '-XX:MaxHeapSize', '-XX:MaxRAMPercentage', '-XX:-UseContainerSupport'];

/**
 * Runtime fixes for a kill at (or without) a limit, when the factors say the runtime does not respect
 * it: runtime_unaware_of_limit or heap_at_or_above_limit. Sized against `limitBytes`.
 */
export function limitFixes(ctx: PlanContext, limitBytes: number, proposed = false): RuntimeFix[] {
  const unaware = ctx.factors.has('runtime_unaware_of_limit');
  const above = ctx.factors.has('heap_at_or_above_limit');
  if (!unaware && !above) return [];
  const s = ctx.settings;
  const addresses: (CauseCode | FactorCode)[] = [ctx.verdict.cause];
  if (unaware) addresses.push('runtime_unaware_of_limit');
  if (above) addresses.push('heap_at_or_above_limit');
  const ceiling = heapCeilingMiB(limitBytes);
  const words = limitWords(limitBytes, proposed);
  switch (s.runtime) {
    case 'node':
      if (s.nodeMaxOldSpaceMb === undefined ? unaware : s.nodeMaxOldSpaceMb > ceiling) {
        return [nodeHeap(s, limitBytes, s.nodeMaxOldSpaceMb === undefined ? 'unaware' : 'above', addresses, words)];
      }
      return [];
    case 'jvm': {
      const xmxTooBig = s.jvmXmxBytes !== undefined && s.jvmXmxBytes > ceiling * MIB;
      const pctTooBig = s.jvmXmxBytes === undefined && (s.jvmMaxRamPercentage ?? 0) > HEAP_SHARE_OF_LIMIT * 100;
      const blind = s.jvmXmxBytes === undefined && (s.jvmContainerSupportDisabled === true || (unaware && s.jvmMaxRamPercentage === undefined));
      return xmxTooBig || pctTooBig || blind ? [jvmHeap(s, limitBytes, xmxTooBig || pctTooBig ? 'above' : 'unaware', addresses, words)] : [];
    }
    case 'go': {
      const target = goMemLimitMiB(limitBytes);
      const missing = s.goMemLimitBytes === undefined || s.goMemLimitOff === true;
      if ((missing && unaware) || (s.goMemLimitBytes !== undefined && s.goMemLimitBytes > target * MIB)) {
        return [goMemLimit(s, limitBytes, missing ? 'unaware' : 'above', addresses, words)];
      }
      return [];
    }
    case 'python':
      return unaware && s.workersFromCpuCount ? [workersFix(ctx, addresses, words)] : [];
    default:
      return [];
  }
}

/**
 * The same absolute ceilings re-sized for a new limit, to go with a limit raise (a Node or Go ceiling
 * does not follow the limit by itself; MaxRAMPercentage and worker counts need no change).
 */
export function rescaledFixes(ctx: PlanContext, fixes: readonly RuntimeFix[], newLimitBytes: number): RuntimeFix[] {
  const out: RuntimeFix[] = [];
  for (const fix of fixes) {
    if (fix.kind === 'node-heap') out.push(nodeHeap(ctx.settings, newLimitBytes, 'unaware', fix.addresses));
    else if (fix.kind === 'gomemlimit') out.push(goMemLimit(ctx.settings, newLimitBytes, 'unaware', fix.addresses));
    else if (fix.kind === 'jvm-xmx') out.push(jvmHeap(ctx.settings, newLimitBytes, 'unaware', fix.addresses));
  }
  return out;
}

/** What to do about a runtime heap abort: raise the ceiling within the limit, or raise both. */
export type HeapRaise =
  | { kind: 'ceiling'; fix: RuntimeFix }
  | { kind: 'both'; needBytes: number; runtimeAt: (newLimitBytes: number) => RuntimeFix[] };

/**
 * runtime_heap_limit: when the ceiling is below 75% of the limit (by more than MIN_CEILING_GAIN), raise
 * it to 75%; otherwise the limit and the ceiling must both grow. Null when no limit is known.
 */
export function heapRaise(ctx: PlanContext, limitBytes: number): HeapRaise | null {
  const s = ctx.settings;
  const target = heapCeilingMiB(limitBytes) * MIB;
  const addresses: (CauseCode | FactorCode)[] = ['runtime_heap_limit'];
  const current = currentCeilingBytes(ctx, limitBytes);
  const roomToRaise = current === undefined || target >= current * MIN_CEILING_GAIN;
  if (s.runtime === 'node' && roomToRaise) return { kind: 'ceiling', fix: nodeHeap(s, limitBytes, 'raise', addresses) };
  if (s.runtime === 'jvm' && roomToRaise) return { kind: 'ceiling', fix: jvmHeap(s, limitBytes, 'raise', addresses) };
  const needBytes = Math.max(limitBytes, (current ?? 0) / HEAP_SHARE_OF_LIMIT) * HEADROOM_FACTOR;
  const runtimeAt = (newLimitBytes: number): RuntimeFix[] => {
    if (s.runtime === 'node') return [nodeHeap(s, newLimitBytes, 'raise', addresses)];
    if (s.runtime === 'jvm' && (s.jvmXmxBytes !== undefined || isOldJvm(s))) return [jvmHeap(s, newLimitBytes, 'raise', addresses)];
    return [];
  };
  return { kind: 'both', needBytes, runtimeAt };
}

/** The heap ceiling in force: an explicit one, the Node heap printed before the abort, or the JVM default share. */
function currentCeilingBytes(ctx: PlanContext, limitBytes: number): number | undefined {
  const s = ctx.settings;
  if (s.runtime === 'node') {
    const mb = s.nodeMaxOldSpaceMb ?? ctx.heapUsedMb;
    return mb === undefined ? undefined : mb * MIB;
  }
  if (s.runtime === 'jvm') return s.jvmXmxBytes ?? (limitBytes * (s.jvmMaxRamPercentage ?? JVM_DEFAULT_RAM_PERCENTAGE)) / 100;
  return undefined;
}

function isOldJvm(s: RuntimeSettings): boolean {
  return s.runtimeVersion !== undefined && s.runtimeVersion < JVM_FIRST_MAJOR_WITH_RAM_PERCENTAGE;
}

function nodeHeap(s: RuntimeSettings, limitBytes: number, reason: Reason, addresses: (CauseCode | FactorCode)[], limit = limitWords(limitBytes, false)): RuntimeFix {
  const ceiling = heapCeilingMiB(limitBytes);
  const before = s.nodeMaxOldSpaceMb;
  const inCommand = s.settingSources?.nodeMaxOldSpaceMb === 'command';
  const version = s.runtimeVersion !== undefined ? `Node ${s.runtimeVersion}` : 'This Node version';
  const why = {
    unaware: `${version} sizes its heap from the host's memory, not ${limit}, so the heap grows until the kernel kills the process. --max-old-space-size=${ceiling} (75% of the limit) makes V8 collect garbage before it gets there.`,
    above: `--max-old-space-size=${before} MiB is at or above ${limit}: the kernel kills the process before V8 ever runs out of heap. ${ceiling} MiB (75% of the limit) leaves room for memory outside the heap.`,
    raise: `The V8 heap hit its ceiling (${before !== undefined ? `${before} MiB` : 'the default'}) under ${limit}: raising --max-old-space-size to ${ceiling} (75% of the limit) uses memory the container already has.`,
  }[reason];
  const risk = reason === 'raise'
    ? 'Less room for memory outside the heap (buffers, native modules); if the heap fills again, the limit and the ceiling must grow together.'
    : `If the working set needs more than ${ceiling} MiB of heap, the process now fails with "JavaScript heap out of memory" instead of being killed: a clearer failure, but still one to watch for.`;
  const fix: RuntimeFix = {
    kind: 'node-heap', action: 'set_runtime_heap', title: `Set Node's heap ceiling to ${ceiling} MiB`,
    changes: [{ field: `${inCommand ? 'command' : 'NODE_OPTIONS'} --max-old-space-size`, before: before === undefined ? null : String(before), after: String(ceiling) }],
    why, risk, addresses,
  };
  if (inCommand) fix.manual = `the --max-old-space-size flag is on the command line, which wins over NODE_OPTIONS: change it there to --max-old-space-size=${ceiling}`;
  else {
    fix.edit = { variable: 'NODE_OPTIONS', mode: 'flag', set: `--max-old-space-size=${ceiling}`, remove: [NODE_HEAP_FLAG], exists: hasEnv(s, 'NODE_OPTIONS') };
    fix.env = { name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: String(ceiling) };
  }
  return fix;
}

function jvmHeap(s: RuntimeSettings, limitBytes: number, reason: Reason, addresses: (CauseCode | FactorCode)[], limit = limitWords(limitBytes, false)): RuntimeFix {
  const old = isOldJvm(s);
  const ceiling = heapCeilingMiB(limitBytes);
  const src = s.settingSources ?? {};
  const sourceOf = (key: string): string | undefined => src[key];
  const variable = [sourceOf('jvmXmxBytes'), sourceOf('jvmMaxRamPercentage'), sourceOf('jvmContainerSupportDisabled')].find((v) => v !== undefined && v !== 'command') ?? JVM_DEFAULT_ENV;
  const inCommand = sourceOf('jvmXmxBytes') === 'command' || sourceOf('jvmContainerSupportDisabled') === 'command';
  const place = inCommand ? 'command' : variable;
  const set = old ? `-Xmx${ceiling}m` : '-XX:MaxRAMPercentage=75';
  const changes: Change[] = [];
  if (old) changes.push({ field: `${place} -Xmx`, before: s.jvmXmxBytes === undefined ? null : formatJvm(s.jvmXmxBytes), after: `${ceiling}m` });
  else {
    changes.push({ field: `${place} -XX:MaxRAMPercentage`, before: s.jvmMaxRamPercentage === undefined ? null : String(s.jvmMaxRamPercentage), after: '75' });
    if (s.jvmXmxBytes !== undefined) changes.push({ field: `${place} -Xmx`, before: formatJvm(s.jvmXmxBytes), after: '(removed)' });
  }
  if (s.jvmContainerSupportDisabled) changes.push({ field: `${place} -XX:-UseContainerSupport`, before: 'set', after: '(removed)' });
  const heapNow = s.jvmXmxBytes !== undefined ? `-Xmx${formatJvm(s.jvmXmxBytes)}` : `${s.jvmMaxRamPercentage ?? JVM_DEFAULT_RAM_PERCENTAGE}% of the limit${s.jvmMaxRamPercentage === undefined ? ' (the JVM default)' : ''}`;
  const newHeap = old ? `-Xmx${ceiling}m (75% of ${limit})` : `-XX:MaxRAMPercentage=75 (75% of ${limit}, following the limit when it changes)`;
  const why = {
    unaware: `The JVM is not sizing its heap from ${limit}${s.jvmContainerSupportDisabled ? ' (-XX:-UseContainerSupport turns container support off)' : ''}, so the heap can grow until the kernel kills it. ${newHeap} keeps it inside.`,
    above: `The heap ceiling (${heapNow}) is at or above 75% of ${limit}: with metaspace, threads and buffers on top, the kernel kills the JVM before the heap is full. ${newHeap} leaves room outside the heap.`,
    raise: `The Java heap ran out at ${heapNow} under ${limit}: ${newHeap} uses memory the container already has.`,
  }[reason];
  const risk = old
    ? `A fixed -Xmx does not follow the limit: change it with the limit. A working set above ${ceiling} MiB now ends in java.lang.OutOfMemoryError instead of a kill.`
    : `Needs JDK 10+ or 8u191+: an older JVM refuses to start on an unknown -XX flag (use -Xmx${ceiling}m there). A working set above it ends in java.lang.OutOfMemoryError instead of a kill.`;
  const fix: RuntimeFix = {
    kind: old ? 'jvm-xmx' : 'jvm-percentage', action: old ? 'set_runtime_heap' : 'set_jvm_ram_percentage',
    title: old ? `Set the JVM heap to -Xmx${ceiling}m` : 'Size the JVM heap at 75% of the limit (-XX:MaxRAMPercentage=75)',
    changes, why, risk, addresses,
  };
  if (inCommand) fix.manual = `the heap flags are on the java command line, which wins over ${JVM_DEFAULT_ENV}: replace them there with ${set}`;
  else {
    fix.edit = { variable, mode: 'flag', set, remove: JVM_HEAP_FLAGS, exists: hasEnv(s, variable) };
    const flag = old ? '-Xmx' : '-XX:MaxRAMPercentage';
    fix.env = { name: variable, flag, value: old ? `${ceiling}m` : '75', remove: JVM_HEAP_FLAG_NAMES.filter((f) => f !== flag) };
  }
  return fix;
}

function goMemLimit(s: RuntimeSettings, limitBytes: number, reason: Reason, addresses: (CauseCode | FactorCode)[], limit = limitWords(limitBytes, false)): RuntimeFix {
  const target = goMemLimitMiB(limitBytes);
  const before = s.goMemLimitOff ? 'off' : s.goMemLimitBytes !== undefined ? `${Math.round(s.goMemLimitBytes / MIB)}MiB` : null;
  const why = reason === 'above'
    ? `GOMEMLIMIT=${before} is at or above ${limit}: the GC only works harder after the kernel has already killed the process. ${target}MiB (90% of the limit) makes it collect in time.`
    : `Go without GOMEMLIMIT collects garbage only when the heap doubles (GOGC), blind to ${limit}. GOMEMLIMIT=${target}MiB (90% of the limit) makes the GC work harder as memory approaches the limit.`;
  return {
    kind: 'gomemlimit', action: 'set_gomemlimit', title: `Set GOMEMLIMIT to ${target}MiB`,
    changes: [{ field: 'GOMEMLIMIT', before, after: `${target}MiB` }],
    edit: { variable: 'GOMEMLIMIT', mode: 'value', set: `${target}MiB`, remove: [], exists: hasEnv(s, 'GOMEMLIMIT') },
    env: { name: 'GOMEMLIMIT', value: `${target}MiB` },
    why,
    risk: 'GOMEMLIMIT is a soft limit: a live heap bigger than it is still killed, and close to it the GC spends more CPU.',
    addresses,
  };
}

/** `the 512 MiB limit`, or for a limit proposed alongside, `the 768 MiB limit proposed with it`. */
function limitWords(limitBytes: number, proposed: boolean): string {
  return `the ${formatMiB(limitBytes)} limit${proposed ? ' proposed with it' : ''}`;
}

function hasEnv(s: RuntimeSettings, name: string): boolean {
  return s.envNames?.includes(name) ?? false;
}

function formatJvm(bytes: number): string {
  if (bytes % (1024 * MIB) === 0) return `${bytes / (1024 * MIB)}g`;
  if (bytes % MIB === 0) return `${bytes / MIB}m`;
  return String(bytes);
}
