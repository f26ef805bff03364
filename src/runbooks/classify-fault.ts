import type { SourceUnavailableEvidence } from '../diagnosis/evidence.js';

export type Fault = SourceUnavailableEvidence['fault'];

const FAULTS: readonly Fault[] = ['timeout', 'denied', 'not_found', 'unreachable', 'throttled', 'invalid', 'error'];

const NAMES: Record<string, Fault> = {
  AbortError: 'timeout', TimeoutError: 'timeout', RequestTimeout: 'timeout', RequestTimeoutException: 'timeout',
  AccessDenied: 'denied', AccessDeniedException: 'denied', UnauthorizedOperation: 'denied', UnauthorizedException: 'denied',
  UnrecognizedClientException: 'denied', InvalidClientTokenId: 'denied', ExpiredToken: 'denied', ExpiredTokenException: 'denied',
  InvalidSignatureException: 'denied', CredentialsProviderError: 'denied', ClientException_AccessDenied: 'denied',
  ResourceNotFoundException: 'not_found', ClusterNotFoundException: 'not_found', ServiceNotFoundException: 'not_found',
  TargetNotConnectedException: 'unreachable',
  ThrottlingException: 'throttled', Throttling: 'throttled', TooManyRequestsException: 'throttled', RequestLimitExceeded: 'throttled',
  LimitExceededException: 'throttled', ProvisionedThroughputExceededException: 'throttled', SlowDown: 'throttled',
  ZodError: 'invalid', InvalidParameterException: 'invalid', InvalidParameterValueException: 'invalid',
};

const CODES: Record<string, Fault> = {
  ETIMEDOUT: 'timeout', ESOCKETTIMEDOUT: 'timeout', ABORT_ERR: 'timeout', UND_ERR_CONNECT_TIMEOUT: 'timeout', UND_ERR_HEADERS_TIMEOUT: 'timeout',
  EACCES: 'denied', EPERM: 'denied',
  ECONNREFUSED: 'unreachable', ENOTFOUND: 'unreachable', EHOSTUNREACH: 'unreachable', ENETUNREACH: 'unreachable',
  ECONNRESET: 'unreachable', EAI_AGAIN: 'unreachable', EPIPE: 'unreachable', UND_ERR_SOCKET: 'unreachable',
  // Why137Error codes: a client factory refusing the config (no SSH entry for the node) is a set-up gap, not an outage.
  why137_source_timeout: 'timeout', why137_config_invalid: 'invalid', why137_target_invalid: 'invalid',
};

const MESSAGES: [RegExp, Fault][] = [
  [/rate exceeded|throttl|too many requests/i, 'throttled'],
  [/operation not permitted|dmesg_restrict|permission denied|access denied|forbidden|unauthori[sz]ed|all configured authentication methods failed|authentication failed|host key|not authorized/i, 'denied'],
  [/no such container|no such host is known|not found|does not exist/i, 'not_found'],
  [/socket hang up|connect (?:ECONNREFUSED|ENOENT|EHOSTUNREACH)|getaddrinfo|network is unreachable|connection refused|no route to host/i, 'unreachable'],
  [/timed? ?out|deadline exceeded/i, 'timeout'],
];

/**
 * Maps anything a source throws to a fault and a one-line detail. Looks at, in order: an explicit
 * `fault` property (sources may set one), the error's name, an HTTP status (AWS `$metadata`,
 * dockerode `statusCode`, client-node `code`), a Node error code, then the message, and repeats for
 * `cause` (fetch wraps ECONNREFUSED in `TypeError: fetch failed`).
 */
export function classifyFault(err: unknown): { fault: Fault; detail: string } {
  const detail = describe(err);
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const fault = faultOf(e);
    if (fault) return { fault, detail };
  }
  return { fault: 'error', detail };
}

function faultOf(e: unknown): Fault | undefined {
  if (typeof e !== 'object') return typeof e === 'string' ? byMessage(e) : undefined;
  const x = e as Record<string, unknown> & { $metadata?: { httpStatusCode?: number }; response?: { statusCode?: number; status?: number } };
  if (typeof x.fault === 'string' && (FAULTS as readonly string[]).includes(x.fault)) return x.fault as Fault;
  if (typeof x.name === 'string' && NAMES[x.name]) return NAMES[x.name];
  if (typeof x.Code === 'string' && NAMES[x.Code]) return NAMES[x.Code];
  const status = [x.$metadata?.httpStatusCode, x.statusCode, x.status, typeof x.code === 'number' ? x.code : undefined, x.response?.statusCode, x.response?.status]
    .find((s): s is number => typeof s === 'number' && s >= 400 && s < 600);
  if (status === 401 || status === 403) return 'denied';
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  if (status === 408 || status === 504) return 'timeout';
  if (typeof x.code === 'string' && CODES[x.code]) {
    // `connect ENOENT /var/run/docker.sock`: the engine's socket is missing, so the engine is unreachable.
    return CODES[x.code];
  }
  if (x.code === 'ENOENT') return x.syscall === 'connect' ? 'unreachable' : 'not_found';
  // ssh2 tags its errors with a level: auth failures and handshake timeouts.
  if (x.level === 'client-authentication') return 'denied';
  if (x.level === 'client-timeout') return 'timeout';
  if (x.level === 'client-socket' || x.level === 'client-dns') return 'unreachable';
  return typeof x.message === 'string' ? byMessage(x.message) : undefined;
}

function byMessage(message: string): Fault | undefined {
  return MESSAGES.find(([re]) => re.test(message))?.[1];
}

function describe(err: unknown): string {
  let text: string;
  if (err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err)) {
    const e = err as { name?: string; message?: unknown; code?: unknown; cause?: { message?: unknown } };
    const message = typeof e.message === 'string' && e.message ? e.message : String(e.name ?? 'error');
    // why137's own errors are complete one-liners already; others get their cause (fetch failed → ECONNREFUSED).
    const own = typeof e.code === 'string' && e.code.startsWith('why137_');
    const cause = !own && typeof e.cause?.message === 'string' && !message.includes(e.cause.message) ? ` (${e.cause.message})` : '';
    // The name goes last, in brackets: `CredentialsProviderError: Could …` would read as NAME: secret to the redactor.
    const name = !own && e.name && !GENERIC_NAMES.has(e.name) && !message.startsWith(e.name) ? ` [${e.name}]` : '';
    text = `${message}${cause}${name}`;
  } else {
    text = String(err);
  }
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

// Names that add nothing to the message: the engine's fault already says timeout/denied/... .
const GENERIC_NAMES = new Set(['Error', 'RemoteAccessError', 'KubernetesApiError', 'AwsSourceError', 'Why137Error']);
