import { z } from 'zod';
import type { Source } from './source.js';
import { dockerContainerFacts } from './docker/docker-container-facts.js';
import { dockerTarget } from './docker/docker-target.js';

const params = z.object({}).strict();

/**
 * `docker inspect` of the target container through the engine API (GET /containers/{id}/json), saved as
 * the API returns it: the object `docker inspect` prints (one element of its array). Facts: the container's
 * id, name, start and finish times, PID, hostname and its orchestrator labels (pod UID, ECS task ARN).
 */
export const dockerInspectSource: Source<z.infer<typeof params>> = {
  name: 'docker.inspect',
  reads: 'the container’s state, limits and settings from the Docker engine (GET /containers/{id}/json)',
  params,
  async collect(ctx) {
    const { host, container } = dockerTarget(ctx.target);
    const docker = ctx.clients.docker(host);
    const inspected: unknown = await docker.getContainer(container).inspect({ abortSignal: ctx.signal });
    if (typeof inspected !== 'object' || inspected === null || Array.isArray(inspected)) {
      throw new Error(`Docker engine answered GET /containers/${container}/json with ${inspected === undefined ? 'no body' : 'a body that is not an object'}`);
    }
    const facts = dockerContainerFacts(inspected as Record<string, unknown>);
    if (host !== undefined) facts.dockerHost = host;
    return {
      artifacts: [{ name: 'docker-inspect.json', content: `${JSON.stringify(inspected, null, 4)}\n` }],
      facts: { ...facts },
      calls: 1,
    };
  },
};
