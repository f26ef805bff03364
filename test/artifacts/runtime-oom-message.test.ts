import { runtimeOomMessage } from '../../src/artifacts/runtime-oom-message.js';

describe('runtimeOomMessage', () => {
  test.each([
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'node', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
    ['FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory', 'node', 'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory'],
    ['2024-05-01T10:00:00Z FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - JavaScript heap out of memory', 'node', 'FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - JavaScript heap out of memory'],
    ['Exception in thread "main" java.lang.OutOfMemoryError: Java heap space', 'jvm', 'java.lang.OutOfMemoryError: Java heap space'],
    ['java.lang.OutOfMemoryError: GC overhead limit exceeded', 'jvm', 'java.lang.OutOfMemoryError: GC overhead limit exceeded'],
    ['Caused by: java.lang.OutOfMemoryError: Metaspace', 'jvm', 'java.lang.OutOfMemoryError: Metaspace'],
    ['Terminating due to java.lang.OutOfMemoryError: Java heap space', 'jvm', 'java.lang.OutOfMemoryError: Java heap space'],
    ['MemoryError', 'python', 'MemoryError'],
    ['[ERROR] MemoryError: Unable to allocate 7.45 GiB for an array', 'python', 'MemoryError: Unable to allocate 7.45 GiB for an array'],
    ['numpy.core._exceptions._ArrayMemoryError: Unable to allocate 7.45 GiB for an array with shape (1000000000,) and data type float64', 'python', '_ArrayMemoryError: Unable to allocate 7.45 GiB for an array with shape (1000000000,) and data type float64'],
    ["Unhandled exception. System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.", 'dotnet', "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown."],
    ['/app/lib/report.rb:41:in `pack\': failed to allocate memory (NoMemoryError)', 'ruby', '/app/lib/report.rb:41:in `pack\': failed to allocate memory (NoMemoryError)'],
    ['fatal error: runtime: out of memory', 'go', 'fatal error: runtime: out of memory'],
    ['runtime: out of memory: cannot allocate 4194304-byte block (3758096384 in use)', 'go', 'runtime: out of memory: cannot allocate 4194304-byte block (3758096384 in use)'],
  ])('%s', (line, runtime, message) => {
    expect(runtimeOomMessage(line)).toEqual({ runtime, message });
  });

  test.each([
    '',
    'OutOfMemoryError: Container killed due to memory usage',
    '[ 1234.567] Memory cgroup out of memory: Killed process 4242 (node) total-vm:1234kB',
    'Out of memory: Killed process 4242 (java)',
    'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
    'java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached',
    'heap usage 512 MB of 1024 MB',
    'REPORT RequestId: 3b1e9f0c-6a2d-4c8e-9f1b-2d4e6a8c0e1f\tMax Memory Used: 512 MB',
  ])('not a runtime OOM: %s', (line) => {
    expect(runtimeOomMessage(line)).toBeNull();
  });
});
