import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { knownHostKeys } from './known-host-keys.js';
import { Why137Error } from '../errors/why137-error.js';
import { RemoteAccessError } from './remote-access-error.js';

export interface HostKeyPolicy {
  /** Host key algorithms to offer, limited to the types known_hosts holds for the host (as OpenSSH orders them). */
  serverHostKey: string[];
  /** ssh2's hostVerifier: accepts a known key, throws a one-line RemoteAccessError (denied) for any other. */
  verify(key: Buffer): boolean;
}

// ssh2's algorithm names for each known_hosts key type; RSA keys sign with SHA-2 where the server can.
const ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * Host key checking as OpenSSH's StrictHostKeyChecking=yes: the key must be in the known_hosts file
 * for this host and port. No entry → refused before connecting; a different key → refused in the handshake.
 */
export function hostKeyPolicy(knownHostsFile: string, host: string, port: number): HostKeyPolicy {
  const where = port === 22 ? host : `[${host}]:${port}`;
  let text: string;
  try {
    text = readFileSync(knownHostsFile, 'utf8');
  } catch (err) {
    throw new Why137Error('why137_config_invalid', `known_hosts file ${knownHostsFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); set ssh.knownHosts (or the entry's knownHosts) to a file holding ${where}'s host key`, { cause: err });
  }
  const entries = knownHostKeys(text, host, port);
  const trusted = entries.filter((e) => !e.revoked);
  if (trusted.length === 0) {
    throw new RemoteAccessError('denied', `host key of ${where} is unknown: ${knownHostsFile} has no entry for it; add it after checking its fingerprint (ssh-keyscan -p ${port} ${host} >> ${knownHostsFile})`);
  }
  const types = [...new Set(trusted.map((e) => e.type))].sort((a, b) => order(a) - order(b));
  const serverHostKey = types.flatMap((t) => ALGORITHMS[t] ?? [t]);
  return {
    serverHostKey,
    verify(key: Buffer): boolean {
      if (entries.some((e) => e.revoked && e.key.equals(key))) {
        throw new RemoteAccessError('denied', `host key of ${where} (${fingerprint(key)}) is marked @revoked in ${knownHostsFile}; refusing to connect`);
      }
      if (trusted.some((e) => e.key.equals(key))) return true;
      throw new RemoteAccessError('denied', `host key of ${where} (${fingerprint(key)}) does not match ${knownHostsFile}; refusing to connect: the host was reinstalled or someone is in between; check the fingerprint and update known_hosts`);
    },
  };
}

function order(type: string): number {
  const i = Object.keys(ALGORITHMS).indexOf(type);
  return i < 0 ? 99 : i;
}

/** `SHA256:…` as `ssh-keygen -lf` prints it. */
function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
