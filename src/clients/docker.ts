import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import path from 'node:path';
import Dockerode from 'dockerode';
import type { ConnectConfig } from 'ssh2';
import type { Config, DockerHostConfig } from '../config/config-schema.js';
import { Why137Error } from '../errors/why137-error.js';
import { expandHome } from './expand-home.js';
import { hostKeyPolicy } from './host-key-policy.js';
import { privateKey } from './private-key.js';

// The docker CLI's default engine on Linux when DOCKER_HOST is unset.
const DEFAULT_SOCKET = '/var/run/docker.sock';
// Until the engine's response headers arrive (over ssh:// that includes the handshake and `docker system dial-stdio`).
const CONNECT_TIMEOUT_MS = 20_000;
const SSH_READY_TIMEOUT_MS = 15_000;
const DEFAULT_SSH_PORT = 22;
const DEFAULT_KNOWN_HOSTS = '~/.ssh/known_hosts';

type ModemOptions = Dockerode.DockerOptions & { pathPrefix?: string; agent?: HttpsAgent; connectionTimeout?: number };

/**
 * A Docker Engine client. Without a host name the engine is found as the docker CLI finds it: DOCKER_HOST
 * (with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for tcp://), else unix:///var/run/docker.sock. A host name
 * names a config.docker.hosts entry: unix://, ssh://user@host (key from privateKeyFile, host key checked
 * against known_hosts) or tcp://host:2376 with TLS ca/cert/key files.
 */
export function createDockerClient(hostName: string | undefined, config: Config, env: NodeJS.ProcessEnv): Dockerode {
  if (hostName === undefined) return fromEnv(config, env);
  const entry = config.docker.hosts[hostName];
  if (!entry) {
    const known = Object.keys(config.docker.hosts);
    throw new Why137Error('why137_config_invalid', `docker host ${hostName} is not configured: add docker.hosts.${hostName} with its url (unix://, ssh://user@host or tcp://host:2376)${known.length ? `; configured: ${known.join(', ')}` : ''}`);
  }
  return fromUrl(entry.url, entry, `docker.hosts.${hostName}`, config, env);
}

function fromEnv(config: Config, env: NodeJS.ProcessEnv): Dockerode {
  const url = env.DOCKER_HOST || `unix://${DEFAULT_SOCKET}`;
  if (url.startsWith('ssh://')) {
    // NOTE: the docker CLI runs the ssh binary with the user's ssh_config and agent; why137 uses keys only.
    throw new Why137Error('why137_config_invalid', `DOCKER_HOST is ${url}: ssh:// engines need a key and known_hosts; add a docker.hosts entry with url ${url} and privateKeyFile, and name it in the target (docker:HOST/CONTAINER)`);
  }
  let entry: DockerHostConfig = { url };
  // NOTE: the docker CLI turns TLS on for any non-empty DOCKER_TLS_VERIFY and reads ca.pem, cert.pem, key.pem from DOCKER_CERT_PATH (default ~/.docker).
  if (env.DOCKER_TLS_VERIFY && /^(tcp|https):\/\//.test(url)) {
    const dir = expandHome(env.DOCKER_CERT_PATH || '~/.docker', env);
    entry = { url, tls: { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem'), verify: true } };
  }
  return fromUrl(url, entry, 'DOCKER_HOST', config, env);
}

function fromUrl(url: string, entry: DockerHostConfig, where: string, config: Config, env: NodeJS.ProcessEnv): Dockerode {
  let u: URL;
  try { u = new URL(url); } catch {
    throw new Why137Error('why137_config_invalid', `${where}: ${url} is not a URL; expected unix:///path, ssh://user@host or tcp://host:2376`);
  }
  // NOTE: docker-modem merges defaults read from process.env (DOCKER_HOST, DOCKER_CERT_PATH) under these
  // options; every connection field is set explicitly so only the injected env and config decide.
  const base: ModemOptions = {
    socketPath: undefined, host: undefined, port: undefined, protocol: undefined, username: undefined,
    ca: undefined, cert: undefined, key: undefined, timeout: undefined, pathPrefix: '/', connectionTimeout: CONNECT_TIMEOUT_MS,
  };
  switch (u.protocol) {
    case 'unix:': {
      const socketPath = decodeURIComponent(u.pathname) || DEFAULT_SOCKET;
      return new Dockerode({ ...base, socketPath } as Dockerode.DockerOptions);
    }
    case 'tcp:':
    case 'http:':
    case 'https:': {
      if (!u.hostname) throw new Why137Error('why137_config_invalid', `${where}: ${url} has no host name`);
      const tls = entry.tls;
      if (u.protocol === 'https:' && !tls) throw new Why137Error('why137_config_invalid', `${where}: ${url} needs tls.ca, tls.cert and tls.key (Docker's TLS port authenticates the client by certificate)`);
      if (!tls) {
        // NOTE: like the docker CLI, tcp:// without TLS settings is plain HTTP (port 2375); anyone on the path can read it.
        return new Dockerode({ ...base, host: u.hostname, port: u.port || '2375', protocol: 'http' } as Dockerode.DockerOptions);
      }
      const ca = readTlsFile(tls.ca, `${where}.tls.ca`, env);
      const cert = readTlsFile(tls.cert, `${where}.tls.cert`, env);
      const key = readTlsFile(tls.key, `${where}.tls.key`, env);
      // The agent carries the verify setting; docker-modem passes only ca/cert/key to https.request.
      const agent = new HttpsAgent({ ca, cert, key, rejectUnauthorized: tls.verify !== false });
      return new Dockerode({ ...base, host: u.hostname, port: u.port || '2376', protocol: 'https', ca, cert, key, agent } as Dockerode.DockerOptions);
    }
    case 'ssh:': {
      const user = decodeURIComponent(u.username);
      if (!user) throw new Why137Error('why137_config_invalid', `${where}: ${url} names no user; write ssh://user@host`);
      if (!entry.privateKeyFile) throw new Why137Error('why137_config_invalid', `${where}: ssh:// needs privateKeyFile (why137 does not use ssh-agent or passwords)`);
      const port = u.port ? Number(u.port) : DEFAULT_SSH_PORT;
      const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
      const hostKeys = hostKeyPolicy(expandHome(entry.knownHosts ?? config.ssh.knownHosts ?? DEFAULT_KNOWN_HOSTS, env), host, port);
      const sshOptions: ConnectConfig = {
        privateKey: privateKey({ privateKeyFile: entry.privateKeyFile }, where, env),
        tryKeyboard: false,
        readyTimeout: SSH_READY_TIMEOUT_MS,
        hostVerifier: (k: Buffer) => hostKeys.verify(k),
        algorithms: { serverHostKey: hostKeys.serverHostKey as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
      };
      const client = new Dockerode({ ...base, host, port, protocol: 'ssh', username: user, sshOptions } as Dockerode.DockerOptions);
      // NOTE: docker-modem lets process.env's ssh-agent (SSH_AUTH_SOCK) override sshOptions when DOCKER_HOST is
      // ssh://; set ours on the instance so only the configured key is offered.
      (client.modem as unknown as { sshOptions: ConnectConfig }).sshOptions = sshOptions;
      return client;
    }
    default:
      throw new Why137Error('why137_config_invalid', `${where}: ${url} is not a Docker engine URL; expected unix://, ssh:// or tcp://`);
  }
}

function readTlsFile(file: string, where: string, env: NodeJS.ProcessEnv): Buffer {
  const p = expandHome(file, env);
  try {
    return readFileSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Why137Error('why137_config_invalid', `${where} ${p}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `unreadable (${code ?? 'error'})`}; point it at the PEM file`, { cause: err });
  }
}
