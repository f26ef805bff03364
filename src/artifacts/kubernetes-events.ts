import type { StructuredParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const kubernetesEvents = {
  format: 'structured',
  kind: 'kubernetes.events',
  expected: '`kubectl get events -o json|yaml`',
  detect: () => false,
  parse: () => [],
} satisfies StructuredParser;
