/** How a remote read failed, in the runbook engine's fault vocabulary (SourceUnavailableEvidence.fault). */
export type RemoteFault = 'denied' | 'unreachable' | 'timeout' | 'not_found';

// errno-style codes, so a classifier that reads `code` (as for Node's own socket and fs errors) maps them too.
const ERRNO: Record<RemoteFault, string> = {
  denied: 'EACCES',
  unreachable: 'EHOSTUNREACH',
  timeout: 'ETIMEDOUT',
  not_found: 'ENOENT',
};

/**
 * A remote host refused or could not be reached: SSH host key or user key refused, connect timeout,
 * a command denied on the host (dmesg_restrict). One line for the user; the original error stays as `cause`.
 */
export class RemoteAccessError extends Error {
  readonly fault: RemoteFault;
  readonly code: string;
  constructor(fault: RemoteFault, message: string, cause?: unknown) {
    super(message.replace(/\s*\n\s*/g, ' '), cause === undefined ? undefined : { cause });
    this.name = 'RemoteAccessError';
    this.fault = fault;
    this.code = ERRNO[fault];
  }
}
