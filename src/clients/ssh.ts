import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import type { Config, SshHostConfig } from '../config/config-schema.js';
import { Why137Error } from '../errors/why137-error.js';
import type { SshExecutor } from './clients.js';
import { expandHome } from './expand-home.js';
import { globMatch } from './glob-match.js';
import { hostKeyPolicy, type HostKeyPolicy } from './host-key-policy.js';
import { privateKey } from './private-key.js';
import { RemoteAccessError } from './remote-access-error.js';

// TCP connect + key exchange + authentication; a node that has not answered by then is down or filtered.
const CONNECT_TIMEOUT_MS = 15_000;
// stderr only carries error messages (dmesg: read kernel buffer failed ...); more is noise.
const MAX_STDERR_BYTES = 64 * 1024;
// OpenSSH's default known_hosts, used when neither the entry nor ssh.knownHosts names one.
const DEFAULT_KNOWN_HOSTS = '~/.ssh/known_hosts';

interface Endpoint {
  name: string;
  host: string;
  port: number;
  user: string;
  key: Buffer;
  keyFrom: string;
  hostKeys: HostKeyPolicy;
  maxOutputBytes: number;
}

/**
 * SSH executor for a node or host name: the first ssh.hosts entry whose `match` covers the name, key
 * authentication only (no agent, no password, no keyboard-interactive), the host key checked against
 * known_hosts. Throws (config) when no entry matches or the key or known_hosts cannot be read.
 */
export function createSshExecutor(name: string, config: Config, env: NodeJS.ProcessEnv): SshExecutor {
  const index = config.ssh.hosts.findIndex((h) => globMatch(h.match, name));
  const entry = config.ssh.hosts[index];
  if (!entry) {
    throw new Why137Error('why137_config_invalid', `no SSH access configured for ${name}: add an ssh.hosts entry whose match covers it (e.g. match: "${name}", user, privateKeyFile)`);
  }
  const where = `ssh.hosts[${index}] (match ${entry.match})`;
  const host = entry.host ?? name;
  const knownHosts = expandHome(entry.knownHosts ?? config.ssh.knownHosts ?? DEFAULT_KNOWN_HOSTS, env);
  const endpoint: Endpoint = {
    name, host, port: entry.port, user: entry.user,
    key: privateKey(entry, where, env),
    keyFrom: keySource(entry),
    hostKeys: hostKeyPolicy(knownHosts, host, entry.port),
    maxOutputBytes: config.ssh.maxOutputBytes,
  };
  return { exec: (command, opts) => execOnce(endpoint, command, opts) };
}

function keySource(entry: SshHostConfig): string {
  return entry.privateKeyFile ? `privateKeyFile ${entry.privateKeyFile}` : `$${entry.privateKeyEnv}`;
}

type ExecResult = Awaited<ReturnType<SshExecutor['exec']>>;

/** One connection per command: connect, exec, read stdout up to the cap, close. */
function execOnce(ep: Endpoint, command: string, opts: { signal: AbortSignal; maxBytes: number }): Promise<ExecResult> {
  const { signal } = opts;
  // ssh.maxOutputBytes bounds every command, whatever the caller asks for.
  const limit = Math.max(0, Math.min(opts.maxBytes, ep.maxOutputBytes));
  const at = `${ep.user}@${ep.host}:${ep.port}`;
  return new Promise<ExecResult>((resolve, reject) => {
    if (signal.aborted) { reject(abortError(signal, at)); return; }
    const conn = new ssh2.Client();
    let settled = false;
    let channel: ClientChannel | undefined;
    const finish = (err: Error | null, result?: ExecResult): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      try { channel?.close(); } catch { /* already closed */ }
      conn.end();
      // end() waits for the server to close; destroy the socket so an aborted or capped read frees it now.
      setImmediate(() => conn.destroy());
      if (err) reject(err); else resolve(result!);
    };
    const onAbort = (): void => finish(abortError(signal, at));
    signal.addEventListener('abort', onAbort, { once: true });

    conn.on('ready', () => {
      conn.exec(command, (err, stream) => {
        if (err) { finish(new RemoteAccessError('denied', `${at}: the server refused to run the command (${err.message})`, err)); return; }
        channel = stream;
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let size = 0;
        let errSize = 0;
        let code: number | null = null;
        const result = (truncated: boolean): ExecResult => ({
          stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), code, truncated,
        });
        stream.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = limit - size;
          if (chunk.length > room) {
            if (room > 0) out.push(chunk.subarray(0, room));
            size = limit;
            // Stop reading: the channel and connection close, the remote command gets SIGPIPE.
            finish(null, result(true));
            return;
          }
          out.push(chunk);
          size += chunk.length;
        });
        stream.stderr.on('data', (chunk: Buffer) => {
          if (errSize >= MAX_STDERR_BYTES) return;
          errOut.push(chunk.subarray(0, MAX_STDERR_BYTES - errSize));
          errSize += chunk.length;
        });
        stream.on('exit', (exitCode: number | null) => { code = typeof exitCode === 'number' ? exitCode : null; });
        stream.on('close', () => finish(null, result(false)));
      });
    });
    conn.on('error', (err: Error & { level?: string; code?: string }) => finish(translate(err, ep, at)));
    conn.on('close', () => finish(new RemoteAccessError('unreachable', `${at}: the connection closed before the command finished`)));

    const cfg: ConnectConfig = {
      host: ep.host,
      port: ep.port,
      username: ep.user,
      privateKey: ep.key,
      tryKeyboard: false,
      readyTimeout: CONNECT_TIMEOUT_MS,
      hostVerifier: (key: Buffer) => ep.hostKeys.verify(key),
      algorithms: { serverHostKey: ep.hostKeys.serverHostKey as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
    };
    try {
      conn.connect(cfg);
    } catch (err) {
      finish(translate(err as Error, ep, at));
    }
  });
}

/** ssh2's errors as one line that says what to fix; the original stays as `cause`. */
function translate(err: Error & { level?: string; code?: string }, ep: Endpoint, at: string): Error {
  if (err instanceof RemoteAccessError || err instanceof Why137Error) return err;
  const msg = err.message;
  if (err.level === 'client-authentication') {
    return new RemoteAccessError('denied', `${at} refused the key (${ep.keyFrom}): Permission denied (publickey); add its public key to ${ep.user}'s authorized_keys on ${ep.host}`, err);
  }
  if (err.level === 'client-timeout' || /Timed out/i.test(msg)) {
    return new RemoteAccessError('timeout', `${at} did not complete the SSH handshake within ${CONNECT_TIMEOUT_MS / 1000}s; check that the host is up and port ${ep.port} reachable`, err);
  }
  if (/no matching host key/i.test(msg)) {
    return new RemoteAccessError('denied', `${at} offered none of the host key types known_hosts holds for it (${ep.hostKeys.serverHostKey.join(', ')}); refusing to connect`, err);
  }
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    return new RemoteAccessError('unreachable', `${ep.host} (for ${ep.name}) does not resolve (${err.code}); set the ssh.hosts entry's host to its address`, err);
  }
  if (err.level === 'client-socket' || err.code) {
    return new RemoteAccessError('unreachable', `${at} is unreachable (${err.code ?? msg.split('\n')[0]})`, err);
  }
  return new RemoteAccessError('unreachable', `${at}: SSH failed (${msg.split('\n')[0]})`, err);
}

/** The signal's own reason when it is an error (the engine's timeout), else an AbortError naming the host. */
function abortError(signal: AbortSignal, at: string): Error {
  const reason: unknown = signal.reason;
  // Duck-typed: a DOMException or an Error from another realm (vm contexts) fails instanceof Error.
  if (typeof reason === 'object' && reason !== null && typeof (reason as Error).name === 'string' && typeof (reason as Error).message === 'string') return reason as Error;
  const err = new Error(`${at}: aborted`, { cause: reason });
  err.name = 'AbortError';
  return err;
}
