import type { TextParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const dockerEvents = {
  format: 'text',
  kind: 'docker.events',
  expected: '`docker events` output (text or --format json)',
  detect: () => false,
  parse: async () => [],
} satisfies TextParser;
