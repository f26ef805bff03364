import type { TextParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const containerLog = {
  format: 'text',
  kind: 'container.log',
  expected: 'container output with a runtime out-of-memory message',
  detect: () => false,
  parse: async () => [],
} satisfies TextParser;
