/**
 * A Kubernetes timestamp as given (RFC 3339), or undefined for null, empty and Go's zero time
 * (`0001-01-01T00:00:00Z`, which the kubelet writes for containers that never started).
 */
export function k8sTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '' || value.startsWith('0001-01-01')) return undefined;
  return value;
}
