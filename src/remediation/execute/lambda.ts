import {
  GetFunctionConfigurationCommand, PreconditionFailedException, ResourceNotFoundException, UpdateFunctionConfigurationCommand,
  type FunctionConfiguration, type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import type { Edit } from '../edit.js';
import type { Applied, ExecuteContext, Executor } from './executor.js';
import { Why137Error } from '../../errors/why137-error.js';
import { abortableSleep } from '../../sources/aws/abortable-sleep.js';
import { changedFields } from './changed-fields.js';
import { envState, type EnvState } from './env-state.js';
import { envValue } from './env-value.js';
import { fingerprint } from './fingerprint.js';
import { restoredEnvValue } from './restored-env-value.js';
import { reviseLambda } from './revise-lambda.js';

type LambdaEdit = Extract<Edit, { platform: 'lambda' }>;

// An update in progress (LastUpdateStatus InProgress) makes the next UpdateFunctionConfiguration fail with
// ResourceConflictException; it usually settles within seconds.
const SETTLE_POLL_MS = 1_000;
const SETTLE_MAX_POLLS = 60;

/**
 * Lambda: UpdateFunctionConfiguration of $LATEST with RevisionId as the precondition (PreconditionFailedException:
 * someone else updated it). Env edits send the full Environment.Variables map back with only the edited
 * variable changed (the API replaces the whole map): it is read just before the write and kept in memory only.
 */
export const lambdaExecutor: Executor<LambdaEdit> = {
  platform: 'lambda',

  async snapshot(edit, ctx) {
    const state = stateOf(edit, await read(edit, ctx));
    return { fingerprint: fingerprint(state), state };
  },

  async apply(edit, expected, ctx) {
    const config = await settled(edit, ctx);
    const now = stateOf(edit, config);
    if (fingerprint(now) !== expected.fingerprint) {
      const moved = changedFields(expected.state, now, ['functionName', 'revisionId']);
      throw new Why137Error('why137_target_changed', `function ${edit.functionName}: ${moved.join(', ') || 'its configuration (RevisionId)'} changed since the proposal was made; nothing was changed, diagnose it again`);
    }
    const vars = config.Environment?.Variables ?? {};
    const input = update(edit, config.RevisionId, {
      ...(edit.memorySizeMb !== undefined ? { MemorySize: edit.memorySizeMb } : {}),
      ...(edit.env !== undefined ? { Environment: { Variables: withEnv(vars, edit.env.map((e) => [e.name, envValue(e, vars[e.name])])) } } : {}),
    });
    const after = stateOf(edit, await write(edit, input, ctx));
    return applied(edit, now, after, 'applies to $LATEST');
  },

  async rollback(edit, done, ctx) {
    const config = await settled(edit, ctx);
    const now = stateOf(edit, config);
    const moved = changedFields(done.after, now, ['functionName', 'revisionId']);
    if (moved.length > 0) {
      throw new Why137Error('why137_target_changed', `function ${edit.functionName}: ${moved.join(', ')} changed since why137 applied its edit; nothing was rolled back`);
    }
    const before = done.before;
    const envBefore = (before.env ?? {}) as Record<string, EnvState>;
    const vars = config.Environment?.Variables ?? {};
    // NOTE: RevisionId also changes when the update applied above finishes (LastUpdateStatus InProgress →
    // Successful), so the precondition is the one just read, after checking the edited fields are still ours.
    const input = update(edit, config.RevisionId, {
      ...(edit.memorySizeMb !== undefined ? { MemorySize: before.memorySizeMb as number } : {}),
      ...(edit.env !== undefined ? { Environment: { Variables: withEnv(vars, edit.env.map((e) => [e.name, restoredEnvValue(envBefore[e.name] ?? { exists: false }, vars[e.name])])) } } : {}),
    });
    const after = stateOf(edit, await write(edit, input, ctx));
    return applied(edit, now, after, 'rolled back');
  },

  revise: (edit, value) => reviseLambda(edit, value),
};

function update(edit: LambdaEdit, revisionId: string | undefined, fields: Partial<UpdateFunctionConfigurationCommandInput>): UpdateFunctionConfigurationCommandInput {
  return { FunctionName: edit.functionName, ...(revisionId !== undefined ? { RevisionId: revisionId } : {}), ...fields };
}

/** The variables with the edited ones set (null: removed); every other variable as it is. */
function withEnv(vars: Record<string, string>, edits: [string, string | null][]): Record<string, string> {
  const out = { ...vars };
  for (const [name, value] of edits) {
    if (value === null) delete out[name]; else out[name] = value;
  }
  return out;
}

async function read(edit: LambdaEdit, ctx: ExecuteContext): Promise<FunctionConfiguration> {
  if (edit.qualifier !== undefined && edit.qualifier !== '$LATEST') {
    throw new Why137Error('why137_target_invalid', `function ${edit.functionName}:${edit.qualifier}: a published version cannot be changed; the edit applies to $LATEST, then publish a version and move the alias`);
  }
  try {
    return await ctx.clients.lambda(edit.region).send(new GetFunctionConfigurationCommand({ FunctionName: edit.functionName }), { abortSignal: ctx.signal });
  } catch (err) {
    if (err instanceof ResourceNotFoundException) throw new Why137Error('why137_target_changed', `function ${edit.functionName} no longer exists`, { cause: err });
    throw err;
  }
}

/** The configuration once no update is in progress (another UpdateFunctionConfiguration would be refused). */
async function settled(edit: LambdaEdit, ctx: ExecuteContext): Promise<FunctionConfiguration> {
  for (let i = 0; ; i++) {
    const config = await read(edit, ctx);
    if ((config.LastUpdateStatus !== 'InProgress' && config.State !== 'Pending') || i >= SETTLE_MAX_POLLS) return config;
    await abortableSleep(SETTLE_POLL_MS, ctx.signal);
  }
}

async function write(edit: LambdaEdit, input: UpdateFunctionConfigurationCommandInput, ctx: ExecuteContext): Promise<FunctionConfiguration> {
  try {
    return await ctx.clients.lambda(edit.region).send(new UpdateFunctionConfigurationCommand(input), { abortSignal: ctx.signal });
  } catch (err) {
    if (err instanceof PreconditionFailedException) {
      throw new Why137Error('why137_target_changed', `function ${edit.functionName} was updated by someone else while why137 wrote to it (RevisionId no longer matches); nothing was changed`, { cause: err });
    }
    throw err;
  }
}

/** RevisionId, and only what the edit changes: MemorySize, and for env only the edited flags (or the edited variable). */
function stateOf(edit: LambdaEdit, c: FunctionConfiguration): Record<string, unknown> {
  const state: Record<string, unknown> = { functionName: edit.functionName, revisionId: c.RevisionId ?? null };
  if (edit.memorySizeMb !== undefined) state.memorySizeMb = c.MemorySize ?? null;
  if (edit.env !== undefined) {
    const env: Record<string, EnvState> = {};
    for (const e of edit.env) env[e.name] = envState(e, c.Environment?.Variables?.[e.name]);
    state.env = env;
  }
  return state;
}

function applied(edit: LambdaEdit, before: Record<string, unknown>, after: Record<string, unknown>, note: string): Applied {
  const changes = changedFields(before, after, ['functionName', 'revisionId'], true);
  return {
    before,
    after,
    detail: `function ${edit.functionName}: ${changes.length > 0 ? changes.join(', ') : 'no change'} (${note})`,
    undo: { revisionId: after.revisionId },
  };
}
