import type { CoreV1Api, AppsV1Api, BatchV1Api } from '@kubernetes/client-node';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type Dockerode from 'dockerode';

export interface KubernetesClients {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
}

/** Runs one fixed command on a host over SSH (key auth, known host keys only) and returns its output, capped. */
export interface SshExecutor {
  exec(command: string, opts: { signal: AbortSignal; maxBytes: number }): Promise<{ stdout: string; stderr: string; code: number | null; truncated: boolean }>;
}

/**
 * Every client a source may use, created lazily from config. Tests build one pointing at loopback
 * endpoints; nothing patches modules.
 */
export interface Clients {
  kubernetes(context?: string): KubernetesClients;
  ecs(region?: string): ECSClient;
  logs(region?: string): CloudWatchLogsClient;
  lambda(region?: string): LambdaClient;
  docker(host?: string): Dockerode;
  /** SSH executor for a node/host name, per the config's ssh.hosts; throws when no entry matches. */
  ssh(name: string): SshExecutor;
}
