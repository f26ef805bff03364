import type { StructuredParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const kubernetesPod = {
  format: 'structured',
  kind: 'kubernetes.pod',
  expected: '`kubectl get pod -o json|yaml`',
  detect: () => false,
  parse: () => [],
} satisfies StructuredParser;
