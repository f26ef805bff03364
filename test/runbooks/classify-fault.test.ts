import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { awsError } from './fake-sources.js';
import { Why137Error } from '../../src/errors/why137-error.js';

const err = (message: string, extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), extra);

describe('classifyFault', () => {
  test.each([
    ['AbortError', Object.assign(new DOMException('This operation was aborted', 'AbortError')), 'timeout'],
    ['TimeoutError', new DOMException('no answer within 5s', 'TimeoutError'), 'timeout'],
    ['ETIMEDOUT', err('connect ETIMEDOUT 10.0.0.1:22', { code: 'ETIMEDOUT' }), 'timeout'],
    ['ssh handshake timeout', err('Timed out while waiting for handshake', { level: 'client-timeout' }), 'timeout'],
    ['HTTP 401', err('Unauthorized', { code: 401 }), 'denied'],
    ['HTTP 403 (dockerode)', err('(HTTP code 403) unexpected', { statusCode: 403 }), 'denied'],
    ['AccessDeniedException', awsError('AccessDeniedException', 'not authorized to perform: logs:StartQuery'), 'denied'],
    ['AccessDenied', awsError('AccessDenied', 'Access Denied', 403), 'denied'],
    ['UnauthorizedOperation', awsError('UnauthorizedOperation', 'You are not authorized'), 'denied'],
    ['expired credentials', awsError('ExpiredTokenException', 'The security token included in the request is expired'), 'denied'],
    ['EACCES', err('connect EACCES /var/run/docker.sock', { code: 'EACCES' }), 'denied'],
    ['ssh auth', err('All configured authentication methods failed', { level: 'client-authentication' }), 'denied'],
    ['dmesg_restrict', err('dmesg: read kernel buffer failed: Operation not permitted'), 'denied'],
    ['an explicit fault', Object.assign(new Error('host key mismatch for n1'), { fault: 'denied', code: 'EACCES' }), 'denied'],
    ['HTTP 404', err('Not Found', { code: 404 }), 'not_found'],
    ['ResourceNotFoundException', awsError('ResourceNotFoundException', 'Function not found: arn:aws:lambda:...'), 'not_found'],
    ['ClusterNotFoundException', awsError('ClusterNotFoundException', 'Cluster not found.'), 'not_found'],
    ['No such container', err('(HTTP code 404) no such container - No such container: web', { statusCode: 404 }), 'not_found'],
    ['ECONNREFUSED', err('connect ECONNREFUSED 127.0.0.1:2376', { code: 'ECONNREFUSED' }), 'unreachable'],
    ['ENOTFOUND', err('getaddrinfo ENOTFOUND k8s.example', { code: 'ENOTFOUND' }), 'unreachable'],
    ['EHOSTUNREACH', err('connect EHOSTUNREACH 10.0.0.9:22', { code: 'EHOSTUNREACH' }), 'unreachable'],
    ['missing docker socket', err('connect ENOENT /var/run/docker.sock', { code: 'ENOENT', syscall: 'connect' }), 'unreachable'],
    ['socket hang up', err('socket hang up', { code: 'ECONNRESET' }), 'unreachable'],
    ['fetch failed → cause', new TypeError('fetch failed', { cause: err('connect ECONNREFUSED 127.0.0.1:6443', { code: 'ECONNREFUSED' }) }), 'unreachable'],
    ['HTTP 429', err('Too Many Requests', { statusCode: 429 }), 'throttled'],
    ['ThrottlingException', awsError('ThrottlingException', 'Rate exceeded'), 'throttled'],
    ['TooManyRequestsException', awsError('TooManyRequestsException', 'Rate exceeded', 429), 'throttled'],
    ['Rate exceeded (message only)', err('Rate exceeded'), 'throttled'],
    ['LimitExceededException (Insights concurrency)', awsError('LimitExceededException', 'Account maximum query concurrency limit of [30] reached.'), 'throttled'],
    ['a config gap from a client factory', new Why137Error('why137_config_invalid', 'no SSH access configured for n1: add an ssh.hosts entry'), 'invalid'],
    ['anything else', new TypeError('x is not a function'), 'error'],
    ['a thrown string', 'boom', 'error'],
  ])('%s → %s', (_name, e, fault) => {
    expect(classifyFault(e).fault).toBe(fault);
  });

  test('the detail is one line, with the name and the cause, and bounded', () => {
    const { detail } = classifyFault(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:6443') }));
    expect(detail).toBe('fetch failed (connect ECONNREFUSED 127.0.0.1:6443) [TypeError]');
    expect(classifyFault(new Error(`a\n  b\n${'x'.repeat(500)}`)).detail).toMatch(/^a b x+…$/);
    expect(classifyFault(new Error('x'.repeat(500))).detail.length).toBe(300);
    expect(classifyFault(awsError('ThrottlingException', 'Rate exceeded')).detail).toBe('Rate exceeded [ThrottlingException]');
    // The redactor reads `CredentialsProviderError: Could` as a secret; bracketed after the message it is left alone.
    expect(classifyFault(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })).detail).toBe('Could not load credentials from any providers [CredentialsProviderError]');
    expect(classifyFault(new Why137Error('why137_config_invalid', 'no SSH access configured for n1', { cause: new Error('x') })).detail).toBe('no SSH access configured for n1');
  });
});
