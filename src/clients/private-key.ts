import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { Why137Error } from '../errors/why137-error.js';
import { expandHome } from './expand-home.js';

/**
 * An unencrypted private key from a file or from the env var that holds it, checked to parse, so a bad
 * key fails at start-up naming the config key rather than mid-handshake. `where` names the config entry.
 */
export function privateKey(source: { privateKeyFile?: string; privateKeyEnv?: string }, where: string, env: NodeJS.ProcessEnv): Buffer {
  let key: Buffer;
  let from: string;
  if (source.privateKeyFile) {
    from = expandHome(source.privateKeyFile, env);
    try {
      key = readFileSync(from);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Why137Error('why137_config_invalid', `${where}.privateKeyFile ${from}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `unreadable (${code ?? 'error'})`}; point it at a readable private key`, { cause: err });
    }
  } else if (source.privateKeyEnv) {
    from = `$${source.privateKeyEnv}`;
    const value = env[source.privateKeyEnv];
    if (!value) throw new Why137Error('why137_config_invalid', `${where}.privateKeyEnv names ${source.privateKeyEnv}, which is not set: export the private key (PEM/OpenSSH text) in it`);
    key = Buffer.from(value.replace(/\\n/g, '\n'));
  } else {
    throw new Why137Error('why137_config_invalid', `${where} has no private key: set privateKeyFile or privateKeyEnv`);
  }
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(parsed.message);
    throw new Why137Error('why137_config_invalid', `${where}: the private key in ${from} ${encrypted ? 'is passphrase-protected; give why137 a key without a passphrase, readable only by it' : `does not parse (${parsed.message})`}`);
  }
  return key;
}
