import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { isIPv6 } from 'node:net';
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Config } from '../config/config-schema.js';
import type { KubernetesClients } from './clients.js';
import { Why137Error } from '../errors/why137-error.js';

// NOTE: the paths every pod's service account volume is mounted at (client-node's loadFromCluster uses the same).
const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Kubernetes API clients for one context: from config.kubernetes.kubeconfig, else the first file of
 * $KUBECONFIG, else ~/.kube/config; or the pod's service account when kubernetes.inCluster is set.
 * A context must be one the config allows (kubernetes.contexts; empty allows any in the file).
 */
export function createKubernetesClients(context: string | undefined, config: Config, env: NodeJS.ProcessEnv): KubernetesClients {
  const kc = new KubeConfig();
  if (config.kubernetes.inCluster) {
    if (context !== undefined) {
      throw new Why137Error('why137_target_invalid', `context ${context}: kubernetes.inCluster is set, so the only cluster is the one this pod runs in; drop the context from the target or unset inCluster`);
    }
    loadInCluster(kc, env);
  } else {
    const file = kubeconfigPath(config, env);
    try {
      kc.loadFromFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `unreadable (${(err as Error).message.split('\n')[0]})`;
      throw new Why137Error('why137_config_invalid', `kubeconfig ${file}: ${why}; set kubernetes.kubeconfig in the config or KUBECONFIG to a readable kubeconfig`, { cause: err });
    }
    const allowed = config.kubernetes.contexts;
    const known = kc.getContexts().map((c) => c.name);
    if (context !== undefined) {
      if (allowed.length > 0 && !allowed.includes(context)) {
        throw new Why137Error('why137_target_invalid', `context ${context} is not allowed: kubernetes.contexts allows ${allowed.join(', ')}`);
      }
      if (!known.includes(context)) {
        throw new Why137Error('why137_target_invalid', `context ${context} is not in kubeconfig ${file}; it has ${known.length > 0 ? known.join(', ') : 'no contexts'}`);
      }
      kc.setCurrentContext(context);
    } else {
      const current = kc.getCurrentContext();
      if (!current || !known.includes(current)) {
        throw new Why137Error('why137_target_invalid', `kubeconfig ${file} has no current-context; name one of ${known.join(', ') || '(none)'} in the target`);
      }
      if (allowed.length > 0 && !allowed.includes(current)) {
        throw new Why137Error('why137_target_invalid', `context ${current} (the kubeconfig's current-context) is not allowed: kubernetes.contexts allows ${allowed.join(', ')}; name one in the target`);
      }
    }
    if (!kc.getCurrentCluster()) {
      throw new Why137Error('why137_config_invalid', `context ${kc.getCurrentContext()} in kubeconfig ${file} names a cluster the file does not define`);
    }
  }
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), batch: kc.makeApiClient(BatchV1Api) };
}

function kubeconfigPath(config: Config, env: NodeJS.ProcessEnv): string {
  if (config.kubernetes.kubeconfig) return expandHome(config.kubernetes.kubeconfig, env);
  // NOTE: kubectl merges every file of a KUBECONFIG list; we read one, the first that exists.
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter((p) => p !== '');
  if (list.length > 0) return expandHome(list.find((p) => existsSync(expandHome(p, env))) ?? list[0]!, env);
  return path.join(env.HOME ?? homedir(), '.kube', 'config');
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? path.join(env.HOME ?? homedir(), p.slice(1)) : p;
}

/** client-node's loadFromCluster, reading the service host and port from the injected env rather than process.env. */
function loadInCluster(kc: KubeConfig, env: NodeJS.ProcessEnv): void {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new Why137Error('why137_config_invalid', 'kubernetes.inCluster is set but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not: run inside a pod, or unset inCluster and name a kubeconfig');
  }
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  kc.loadFromOptions({
    clusters: [{ name: 'inCluster', server, caFile: `${SERVICE_ACCOUNT}/ca.crt`, skipTLSVerify: false }],
    // The tokenFile provider re-reads the projected token, which the kubelet rotates hourly.
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICE_ACCOUNT}/token` } } }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }],
    currentContext: 'inClusterContext',
  });
}
