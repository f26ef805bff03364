import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project root, whether this runs from test/ or from the compiled dist/test/. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..');

/** Absolute path of a fixture: `fixturePath('docker', 'inspect-oom-killed.json')`. */
export function fixturePath(...parts: string[]): string {
  return path.join(projectRoot, 'test', 'fixtures', ...parts);
}
