import { createClients, type ClientFactories } from '../../src/clients/create-clients.js';
import { configSchema } from '../../src/config/config-schema.js';

const config = configSchema.parse({});

describe('createClients (what diagnose hands the sources)', () => {
  test('builds each client on first use, once per context/region/host/name, and retries a factory that threw', () => {
    const built: string[] = [];
    let sshFails = true;
    const factories: ClientFactories = {
      kubernetes: (ctx) => { built.push(`kubernetes ${ctx}`); return { core: {}, apps: {}, batch: {} } as never; },
      aws: (region) => { built.push(`aws ${region}`); return { ecs: { id: `ecs ${region}` }, logs: { id: `logs ${region}` }, lambda: { id: `lambda ${region}` } } as never; },
      docker: (host) => { built.push(`docker ${host}`); return {} as never; },
      ssh: (name) => {
        built.push(`ssh ${name}`);
        if (sshFails) throw new Error(`no SSH access configured for ${name}`);
        return { exec: async () => ({ stdout: '', stderr: '', code: 0, truncated: false }) };
      },
    };
    const clients = createClients(config, { HOME: '/home/x' }, factories);
    expect(built).toEqual([]);

    const k = clients.kubernetes('prod');
    expect(clients.kubernetes('prod')).toBe(k);
    expect(clients.kubernetes()).not.toBe(k);
    // ECS, Logs and Lambda of one region come from one factory call.
    expect(clients.ecs('eu-west-1')).toEqual({ id: 'ecs eu-west-1' });
    expect(clients.logs('eu-west-1')).toEqual({ id: 'logs eu-west-1' });
    expect(clients.lambda('us-east-1')).toEqual({ id: 'lambda us-east-1' });
    expect(clients.docker()).toBe(clients.docker());
    expect(() => clients.ssh('n1')).toThrow('no SSH access configured for n1');
    sshFails = false;
    expect(clients.ssh('n1')).toBe(clients.ssh('n1'));
    expect(built).toEqual(['kubernetes prod', 'kubernetes undefined', 'aws eu-west-1', 'aws us-east-1', 'docker undefined', 'ssh n1', 'ssh n1']);
  });
});
