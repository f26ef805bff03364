import type { TextParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const lambdaLog = {
  format: 'text',
  kind: 'lambda.log',
  expected: 'Lambda CloudWatch log text (START/END/REPORT lines)',
  detect: () => false,
  parse: async () => [],
} satisfies TextParser;
