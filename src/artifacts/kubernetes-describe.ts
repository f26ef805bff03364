import type { TextParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const kubernetesDescribe = {
  format: 'text',
  kind: 'kubernetes.describe',
  expected: '`kubectl describe pod` text',
  detect: () => false,
  parse: async () => [],
} satisfies TextParser;
