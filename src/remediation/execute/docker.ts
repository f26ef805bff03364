import type Dockerode from 'dockerode';
import type { Edit } from '../edit.js';
import type { Applied, ExecuteContext, Executor } from './executor.js';
import { Why137Error } from '../../errors/why137-error.js';
import { changedFields } from './changed-fields.js';
import { fingerprint } from './fingerprint.js';
import { reviseDocker } from './revise-docker.js';

type DockerEdit = Extract<Edit, { platform: 'docker' }>;

interface Limits {
  id: string;
  memoryBytes: number;
  memorySwapBytes: number;
}

/**
 * Docker: `docker update` of Memory and MemorySwap (POST /containers/{id}/update), both in one call: the engine
 * refuses a Memory above the current MemorySwap otherwise. The change takes effect at once, without a restart;
 * a re-inspect verifies it. No precondition exists in the engine API, so the limits are compared just before.
 */
export const dockerExecutor: Executor<DockerEdit> = {
  platform: 'docker',

  async snapshot(edit, ctx) {
    const now = await inspect(edit, ctx);
    return { fingerprint: fingerprint(now), state: state(edit, now) };
  },

  async apply(edit, expected, ctx) {
    const now = await inspect(edit, ctx);
    if (fingerprint(now) !== expected.fingerprint) {
      const moved = now.id !== expected.state.id ? ['the container (recreated)'] : changedFields(expected.state, state(edit, now), ['container', 'id']);
      throw new Why137Error('why137_target_changed', `container ${edit.container}: ${moved.join(', ') || 'its limits'} changed since the proposal was made; nothing was changed, diagnose it again`);
    }
    const want = { memoryBytes: edit.memoryBytes ?? now.memoryBytes, memorySwapBytes: edit.memorySwapBytes ?? now.memorySwapBytes };
    const after = await update(edit, now.id, want, ctx);
    return applied(edit, now, after, 'in effect now, until the container is recreated');
  },

  async rollback(edit, done, ctx) {
    const now = await inspect(edit, ctx);
    const after = done.after as unknown as Limits;
    if (now.id !== after.id || now.memoryBytes !== after.memoryBytes || now.memorySwapBytes !== after.memorySwapBytes) {
      const moved = now.id !== after.id ? ['the container (recreated)'] : changedFields(done.after, state(edit, now), ['container', 'id']);
      throw new Why137Error('why137_target_changed', `container ${edit.container}: ${moved.join(', ')} changed since why137 applied its edit; nothing was rolled back`);
    }
    const before = done.before as unknown as Limits;
    if (before.memoryBytes <= 0) {
      throw new Why137Error('why137_rollback_unsupported', `container ${edit.container} had no memory limit before, and docker update cannot remove one (0 keeps it, -1 is refused): recreate the container without --memory to undo`);
    }
    const restored = await update(edit, now.id, { memoryBytes: before.memoryBytes, memorySwapBytes: before.memorySwapBytes }, ctx);
    return applied(edit, now, restored, 'rolled back');
  },

  revise: (edit, value) => reviseDocker(edit, value),
};

async function inspect(edit: DockerEdit, ctx: ExecuteContext): Promise<Limits> {
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await ctx.clients.docker(edit.host).getContainer(edit.container).inspect({ abortSignal: ctx.signal });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) throw new Why137Error('why137_target_changed', `container ${edit.container} no longer exists`, { cause: err });
    throw err;
  }
  return { id: info.Id, memoryBytes: info.HostConfig?.Memory ?? 0, memorySwapBytes: info.HostConfig?.MemorySwap ?? 0 };
}

/** POST /containers/{id}/update with both limits, then a re-inspect that must show them. */
async function update(edit: DockerEdit, id: string, want: Omit<Limits, 'id'>, ctx: ExecuteContext): Promise<Limits> {
  const docker = ctx.clients.docker(edit.host);
  try {
    await docker.getContainer(id).update({ Memory: want.memoryBytes, MemorySwap: want.memorySwapBytes, abortSignal: ctx.signal });
  } catch (err) {
    const e = err as { statusCode?: number; json?: { message?: string } };
    const said = e.json?.message ?? (err as Error).message;
    if (e.statusCode === 400 || e.statusCode === 409) throw new Why137Error('why137_invalid_value', `container ${edit.container}: the engine refused the limits: ${said}`, { cause: err });
    if (e.statusCode === 404) throw new Why137Error('why137_target_changed', `container ${edit.container} no longer exists`, { cause: err });
    throw err;
  }
  const after = await inspect({ ...edit, container: id }, ctx);
  // NOTE: MemorySwap 0 in an update means "leave it"; only the values asked for are checked.
  if (after.memoryBytes !== want.memoryBytes || (want.memorySwapBytes !== 0 && after.memorySwapBytes !== want.memorySwapBytes)) {
    throw new Why137Error('why137_internal', `container ${edit.container}: docker update answered OK but inspect shows Memory ${after.memoryBytes}, MemorySwap ${after.memorySwapBytes}`);
  }
  return after;
}

function state(edit: DockerEdit, l: Limits): Record<string, unknown> {
  return { container: edit.container, id: l.id, memoryBytes: l.memoryBytes, memorySwapBytes: l.memorySwapBytes };
}

function applied(edit: DockerEdit, before: Limits, after: Limits, note: string): Applied {
  const b = state(edit, before);
  const a = state(edit, after);
  const changes = changedFields(b, a, ['container', 'id'], true);
  return {
    before: b,
    after: a,
    detail: `container ${edit.container}: ${changes.length > 0 ? changes.join(', ') : 'no change'} (${note})`,
    undo: { id: before.id, memoryBytes: before.memoryBytes, memorySwapBytes: before.memorySwapBytes },
  };
}
