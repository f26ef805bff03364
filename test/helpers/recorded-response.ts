import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fixturePath } from './fixture-path.js';

/** A recorded AWS CLI output fixture (JSON or YAML) as an object, fresh on every call so tests may edit it. */
export function recordedResponse<T = Record<string, unknown>>(...parts: string[]): T {
  const text = readFileSync(fixturePath(...parts), 'utf8');
  return (/\.ya?ml$/.test(parts[parts.length - 1] ?? '') ? parse(text) : JSON.parse(text)) as T;
}
