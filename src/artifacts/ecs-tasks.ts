import type { StructuredParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const ecsTasks = {
  format: 'structured',
  kind: 'ecs.tasks',
  expected: '`aws ecs describe-tasks` output',
  detect: () => false,
  parse: () => [],
} satisfies StructuredParser;
