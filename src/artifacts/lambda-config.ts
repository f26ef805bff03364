import type { StructuredParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const lambdaConfig = {
  format: 'structured',
  kind: 'lambda.config',
  expected: '`aws lambda get-function-configuration` output',
  detect: () => false,
  parse: () => [],
} satisfies StructuredParser;
