import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Finds an executable on PATH (and in /usr/sbin, /sbin, where sshd and dockerd live), or null. */
export function findExecutable(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try { accessSync(candidate, constants.X_OK); return candidate; } catch { /* next */ }
  }
  return null;
}

/**
 * `describe` for a suite that needs system components (dockerd, sshd, moto_server, ...).
 * Missing ones: the suite is skipped with the reason printed, except under CI=true, where the suite
 * runs and fails at once, because CI must have installed them (.ci/run).
 */
export function describeWithComponents(title: string, executables: string[], fn: () => void): void {
  const missing = executables.filter((e) => findExecutable(e) === null);
  if (missing.length === 0) { describe(title, fn); return; }
  const why = `${title}: needs ${missing.join(', ')} (install with .ci/run)`;
  if (process.env.CI === 'true') {
    describe(title, () => { test('required components are installed', () => { throw new Error(`${why}; CI=true, so a missing component is a failure`); }); });
    return;
  }
  process.stderr.write(`SKIP ${why}\n`);
  describe.skip(title, fn);
}
