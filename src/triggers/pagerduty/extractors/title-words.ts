import type { TargetExtractor } from './target-extractor.js';

const KEY_VALUE = (key: string): RegExp => new RegExp(`\\b${key}\\s*[=:]\\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)`, 'i');
const POD_SLASH = /\bpod\s+([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9.-]*)/i;
const TASK_ARN = /\barn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task\/[A-Za-z0-9_-]+\/[0-9a-f]{32}\b/;
const FUNCTION_ARN = /\barn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?/;

/**
 * Last resort, the incident title alone: `namespace=shop pod=web-7d9 [container=app]`,
 * `OOMKilled: pod shop/web-7d9`, or a task or function ARN anywhere in it.
 */
export const titleWords: TargetExtractor = (fields) => {
  const title = fields.title.slice(0, 4096);
  const ns = KEY_VALUE('namespace').exec(title)?.[1];
  const pod = KEY_VALUE('pod').exec(title)?.[1];
  if (ns && pod) {
    const container = KEY_VALUE('container').exec(title)?.[1];
    return `k8s:${ns}/${pod}${container ? `/${container}` : ''}`;
  }
  const slash = POD_SLASH.exec(title);
  if (slash) return `k8s:${slash[1]}/${slash[2]}`;
  const task = TASK_ARN.exec(title)?.[0];
  if (task) return `ecs:${task}`;
  const fn = FUNCTION_ARN.exec(title)?.[0];
  if (fn) return `lambda:${fn}`;
  return undefined;
};
