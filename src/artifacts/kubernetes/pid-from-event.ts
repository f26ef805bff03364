/**
 * The killed process id an OOM event names: kubelet `SystemOOM` ("System OOM encountered, victim process:
 * java, pid: 12345") or node-problem-detector `OOMKilling` ("... Killed process 1234 (java) total-vm:...").
 */
export function pidFromEvent(message: string): number | undefined {
  const m = /victim process: .*?, pid: (\d+)/.exec(message) ?? /Killed process (\d+) \(/.exec(message);
  return m ? Number(m[1]) : undefined;
}
