import type Dockerode from 'dockerode';
import type { Config } from '../config/config-schema.js';
import type { Clients, KubernetesClients, SshExecutor } from './clients.js';
import { createDockerClient } from './docker.js';
import { createSshExecutor } from './ssh.js';
import { createKubernetesClients } from './kubernetes.js';
import { createAwsClients, type AwsClients } from './aws.js';

/** The client factories, injectable so a test can count or replace what gets built. */
export interface ClientFactories {
  docker(host: string | undefined, config: Config, env: NodeJS.ProcessEnv): Dockerode;
  ssh(name: string, config: Config, env: NodeJS.ProcessEnv): SshExecutor;
  kubernetes(context: string | undefined, config: Config, env: NodeJS.ProcessEnv): KubernetesClients;
  aws(region: string | undefined, config: Config, env: NodeJS.ProcessEnv): AwsClients;
}

const FACTORIES: ClientFactories = {
  docker: createDockerClient,
  ssh: createSshExecutor,
  kubernetes: createKubernetesClients,
  aws: createAwsClients,
};

/**
 * Every client a source may use, built on first use and reused for the rest of the process: a runbook
 * that never touches AWS never loads a credential, and five Kubernetes steps share one connection pool.
 * A factory that throws (no ssh.hosts entry for a node) is not cached, so the next use tries again.
 */
export function createClients(config: Config, env: NodeJS.ProcessEnv, factories: ClientFactories = FACTORIES): Clients {
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const aws = (region: string | undefined): AwsClients => once(`aws\0${region ?? ''}`, () => factories.aws(region, config, env));
  return {
    kubernetes: (context) => once(`kubernetes\0${context ?? ''}`, () => factories.kubernetes(context, config, env)),
    ecs: (region) => aws(region).ecs,
    logs: (region) => aws(region).logs,
    lambda: (region) => aws(region).lambda,
    docker: (host) => once(`docker\0${host ?? ''}`, () => factories.docker(host, config, env)),
    ssh: (name) => once(`ssh\0${name}`, () => factories.ssh(name, config, env)),
  };
}
