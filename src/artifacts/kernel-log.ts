import type { TextParser } from './artifact-parser.js';

/** PLACEHOLDER: replaced by the real parser. */
export const kernelLog = {
  format: 'text',
  kind: 'kernel.log',
  expected: 'a kernel log (dmesg, journalctl -k, kern.log)',
  detect: () => false,
  parse: async () => [],
} satisfies TextParser;
