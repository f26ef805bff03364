import { createHmac, timingSafeEqual } from 'node:crypto';
import { globMatch } from './glob-match.js';

export interface KnownHostKey {
  /** Key type as written in the file: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  type: string;
  /** The public key blob (what the server presents during the handshake). */
  key: Buffer;
  /** `@revoked` lines: a key that must never be accepted. (`@cert-authority` lines are skipped: no CA support.) */
  revoked: boolean;
}

// OpenSSH writes `host` for port 22 and `[host]:port` for any other port (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT).
const DEFAULT_PORT = 22;
// `|1|salt|hash`: HMAC-SHA1 keyed with the salt over the host name (HashKnownHosts yes).
const HASHED = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/;

/** Keys an OpenSSH known_hosts file holds for `host` on `port`: plain, wildcard, negated and hashed entries. */
export function knownHostKeys(text: string, host: string, port: number): KnownHostKey[] {
  const name = (port === DEFAULT_PORT ? host : `[${host}]:${port}`).toLowerCase();
  const out: KnownHostKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]!.startsWith('@')) marker = fields.shift();
    if (marker === '@cert-authority') continue;
    const [hosts, type, blob] = fields;
    if (!hosts || !type || !blob || !hostsMatch(hosts, name)) continue;
    const key = Buffer.from(blob, 'base64');
    if (blobType(key) !== type) continue; // corrupt line or a type field that lies about the blob
    out.push({ type, key, revoked: marker === '@revoked' });
  }
  return out;
}

function hostsMatch(field: string, name: string): boolean {
  const hashed = HASHED.exec(field);
  if (hashed) {
    const expected = Buffer.from(hashed[2]!, 'base64');
    const actual = createHmac('sha1', Buffer.from(hashed[1]!, 'base64')).update(name).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false;
    } else if (globMatch(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/** The type string a public key blob starts with (uint32 length + name). */
function blobType(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const len = key.readUInt32BE(0);
  return len > 0 && len < 64 && key.length >= 4 + len ? key.toString('latin1', 4, 4 + len) : undefined;
}
