import type { StructuredParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const kubernetesNode = {
  format: 'structured',
  kind: 'kubernetes.node',
  expected: '`kubectl get node -o json|yaml`',
  detect: () => false,
  parse: () => [],
} satisfies StructuredParser;
