import type { Edit } from '../edit.js';
import { ECS_STEP_MIB, FARGATE_TASK_SIZES, MIB, fargateTaskSize } from '../plan/sizing.js';
import { invalidValue } from './invalid-value.js';
import { parseSeconds } from './parse-seconds.js';
import { resizedEnv } from './resized-env.js';

type EcsEdit = Extract<Edit, { platform: 'ecs' }>;

// NOTE: ECS refuses a container `memory` under 6 MiB at RegisterTaskDefinition (ContainerDefinition docs).
const MIN_CONTAINER_MIB = 6;
const EXPECTED = `a whole number of MiB of at least ${MIN_CONTAINER_MIB}, such as 1536`;

/**
 * Re-sizes an ECS edit to typed MiB (`1536`, `1536 MiB`, `2 GiB`). The container's hard memory takes it when
 * the edit sets one, and the task grows with it by the same room it had for the other containers; otherwise
 * the task memory takes it. A task memory that is a Fargate size stays a valid Fargate size (the CPU steps up
 * where Fargate needs it). Runtime ceilings follow; a stopTimeout edit takes whole seconds.
 */
export function reviseEcs(edit: EcsEdit, typed: string): EcsEdit {
  if (edit.memoryMiB === undefined && edit.taskMemory === undefined && edit.memoryReservationMiB === undefined) {
    if (edit.stopTimeout !== undefined) return { ...edit, stopTimeout: parseSeconds(typed) };
    throw invalidValue(typed, 'nothing: this proposal sets a runtime flag, not a size, so it cannot be re-sized');
  }
  const mib = parseMiB(typed);
  if (mib === null || mib < MIN_CONTAINER_MIB) throw invalidValue(typed, EXPECTED);
  const out: EcsEdit = { ...edit };
  if (edit.memoryMiB !== undefined || (edit.taskMemory === undefined && edit.memoryReservationMiB !== undefined)) {
    const reservation = edit.memoryReservationMiB;
    if (edit.memoryMiB !== undefined && reservation !== undefined && mib < reservation) throw invalidValue(typed, `at least the memoryReservation of ${reservation} MiB`);
    if (edit.memoryMiB !== undefined) out.memoryMiB = mib; else out.memoryReservationMiB = mib;
    if (edit.taskMemory !== undefined) Object.assign(out, taskFor(typed, mib + Math.max(0, Number(edit.taskMemory) - (edit.memoryMiB ?? reservation ?? 0)), edit));
  } else {
    Object.assign(out, taskFor(typed, mib, edit, true));
  }
  const env = resizedEnv(edit.env, (out.memoryMiB ?? Number(out.taskMemory)) * MIB);
  if (env !== undefined) out.env = env;
  return out;
}

/** `1536`, `1536 MiB`, `1536MB` (ECS's "MiB" and "MB" are the same unit), `2 GiB`, `1.5GB`. */
function parseMiB(typed: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mib|mb|gib|gb)?\s*$/i.exec(typed);
  if (!m) return null;
  const n = Number(m[1]) * (/^g/i.test(m[2] ?? '') ? 1024 : 1);
  return Number.isInteger(n) ? n : null;
}

/**
 * The task size for a need: on Fargate (the edit's task memory is a Fargate size) the smallest valid size
 * with at least the need, exactly the typed value when `exact`, CPU raised only where Fargate needs it; on
 * EC2 the need in 64 MiB steps (or exactly the typed value).
 */
function taskFor(typed: string, needMiB: number, edit: EcsEdit, exact = false): Pick<EcsEdit, 'taskMemory' | 'taskCpu'> {
  const fargate = FARGATE_TASK_SIZES.some((s) => s.memoryMiB.includes(Number(edit.taskMemory)));
  if (!fargate) return { taskMemory: String(exact ? needMiB : Math.ceil(needMiB / ECS_STEP_MIB) * ECS_STEP_MIB) };
  const cpu = edit.taskCpu === undefined ? undefined : Number(edit.taskCpu);
  const size = fargateTaskSize(needMiB, cpu);
  if (size === null || (exact && size.memoryMiB !== needMiB)) {
    const valid = FARGATE_TASK_SIZES.filter((s) => cpu === undefined || s.cpu >= cpu).flatMap((s) => s.memoryMiB);
    const list = [...new Set(valid)].sort((a, b) => a - b);
    throw invalidValue(typed, exact
      ? `a Fargate task memory size in MiB${cpu !== undefined ? ` at cpu ${cpu} or more` : ''}: ${list.slice(0, 6).join(', ')}, … ${list.at(-1)}`
      : `a container memory that fits a Fargate task (the largest is ${list.at(-1)} MiB)`);
  }
  // With no CPU in the edit the task's CPU stays; the executor checks the pair against the task definition.
  return cpu === undefined ? { taskMemory: String(size.memoryMiB) } : { taskMemory: String(size.memoryMiB), taskCpu: String(size.cpu) };
}
