import type { StructuredParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const dockerInspect = {
  format: 'structured',
  kind: 'docker.inspect',
  expected: '`docker inspect` output',
  detect: () => false,
  parse: () => [],
} satisfies StructuredParser;
