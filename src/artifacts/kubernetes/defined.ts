/** A copy of the object without its undefined fields, so evidence carries only what the input said. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
