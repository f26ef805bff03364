import type { SourceUnavailableEvidence } from '../../diagnosis/evidence.js';
import { Why137Error, type ErrorCode } from '../../errors/why137-error.js';

/**
 * A failure an AWS source decides itself (nothing found, the step's time ran out), with the fault the
 * runbook engine reports; classify-fault reads an explicit `fault` before anything else. Errors the SDK
 * throws are passed on untouched, so their `name` and `$metadata.httpStatusCode` still classify them.
 */
export class AwsSourceError extends Why137Error {
  readonly fault: SourceUnavailableEvidence['fault'];
  constructor(code: ErrorCode, fault: SourceUnavailableEvidence['fault'], message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.fault = fault;
    this.name = 'AwsSourceError';
  }
}
