import type { TextParser } from './artifact-parser.js';
import { DescribeReader } from './kubernetes/describe-reader.js';

const expected = '`kubectl describe pod` text';

/** `kubectl describe pod` (one pod or several): container states, limits, runtime settings, pod status and events. */
export const kubernetesDescribe = {
  format: 'text',
  kind: 'kubernetes.describe',
  expected,
  detect(head: string): boolean {
    const text = head.replace(/^\uFEFF/, '').trimStart();
    if (!/^Name:[ \t]+\S/.test(text)) return false;
    // A YAML manifest or `-o yaml` output has lowercase keys like these; describe never does.
    if (/^(?:apiVersion|kind|metadata):/m.test(text)) return false;
    return /^Namespace:[ \t]/m.test(text) && /^(?:Containers:|Status:[ \t])/m.test(text);
  },
  async parse(lines: AsyncIterable<string>, file: string) {
    const reader = new DescribeReader(file, expected);
    let n = 0;
    for await (const line of lines) reader.line(line, ++n);
    return reader.finish();
  },
} satisfies TextParser;
