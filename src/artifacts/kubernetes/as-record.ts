/** The value as a plain object (not an array), or undefined: parsed JSON/YAML is untyped until checked. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
