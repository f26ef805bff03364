import type { AlertFields } from './alert-fields.js';

/**
 * The value at a rule's field: `title`, `body.<path>` or `custom_details.<path>` (`.`-separated; numbers
 * index lists). Strings and numbers come back as text, objects as JSON; undefined when absent.
 */
export function readFieldPath(fields: AlertFields, field: string): string | undefined {
  if (field === 'title') return fields.title;
  const [root, ...path] = field.split('.');
  let at: unknown = root === 'body' ? fields.body : root === 'custom_details' ? fields.customDetails : undefined;
  for (const key of path) {
    if (Array.isArray(at) && /^\d+$/.test(key)) at = at[Number(key)];
    else if (typeof at === 'object' && at !== null && Object.hasOwn(at, key)) at = (at as Record<string, unknown>)[key];
    else return undefined;
  }
  if (typeof at === 'string') return at;
  if (typeof at === 'number' || typeof at === 'boolean') return String(at);
  return at === undefined || at === null ? undefined : JSON.stringify(at);
}
