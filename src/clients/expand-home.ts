import { homedir } from 'node:os';
import path from 'node:path';

/** `~/x` → `$HOME/x` from the injected env (config paths are written as in ssh_config). */
export function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? path.join(env.HOME ?? homedir(), p.slice(1)) : p;
}
