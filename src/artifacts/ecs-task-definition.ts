import type { StructuredParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const ecsTaskDefinition = {
  format: 'structured',
  kind: 'ecs.task-definition',
  expected: '`aws ecs describe-task-definition` output',
  detect: () => false,
  parse: () => [],
} satisfies StructuredParser;
