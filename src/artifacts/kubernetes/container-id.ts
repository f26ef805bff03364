/** A runtime container id without its `containerd://`, `docker://` or `cri-o://` prefix; undefined when empty. */
export function containerId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').trim();
  return id === '' ? undefined : id;
}
