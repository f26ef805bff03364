import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { Why137Error } from '../../src/errors/why137-error.js';

/**
 * Writes `content` to `dir/name`, reads it as an artifact and returns the error, after checking the rule
 * every bad input follows: a Why137Error whose message is one line that starts with the file's name.
 */
export async function artifactFailure(dir: string, name: string, content: string | Buffer): Promise<Why137Error> {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  const err = await readArtifact(file).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(Why137Error);
  const e = err as Why137Error;
  expect(e.message).not.toMatch(/\n/);
  expect(e.message.startsWith(`${file}: `)).toBe(true);
  return e;
}
