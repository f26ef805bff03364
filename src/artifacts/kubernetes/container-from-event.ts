// kubelet messages that name the container: "Container app failed liveness probe, will be restarted",
// "Stopping container app", "Back-off restarting failed container app in pod ...", "Started container app".
const MESSAGE_PATTERNS = [
  /^Container (\S+) failed (?:liveness|startup) probe/,
  /^Stopping container (\S+)/,
  /^Back-off restarting failed container (\S+)/,
  /^(?:Started|Created) container:? (\S+)/,
  /^Container (\S+) definition changed/,
  /^Killing container with id [a-z-]+:\/\/([^:\s]+):/,
];

/** The container an event is about: from `fieldPath` (`spec.containers{app}`), else from a kubelet message. */
export function containerFromEvent(fieldPath: unknown, message: unknown): string | undefined {
  if (typeof fieldPath === 'string') {
    const m = /^spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]+)\}/.exec(fieldPath);
    if (m) return m[1];
  }
  if (typeof message === 'string') {
    for (const p of MESSAGE_PATTERNS) {
      const m = p.exec(message.trim());
      if (m) return m[1];
    }
  }
  return undefined;
}
