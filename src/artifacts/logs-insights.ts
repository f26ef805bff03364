import type { StructuredParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const logsInsights = {
  format: 'structured',
  kind: 'logs.insights',
  expected: '`aws logs get-query-results` JSON',
  detect: () => false,
  parse: () => [],
} satisfies StructuredParser;
