/** Drops the keys whose value is undefined, so evidence prints and compares without empty fields. */
export function defined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) if (obj[key] === undefined) delete obj[key];
  return obj;
}
