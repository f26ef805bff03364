import type { Subject } from '../../src/diagnosis/evidence.js';
import { MiB, checkCase, invocation, lambdaConfig, runtime, verdict, type Case } from './build.js';

const fn: Subject & { platform: 'lambda' } = { platform: 'lambda', functionName: 'thumbnailer' };

/** What every executable proposal's edit names on this target. */
const onFn = { platform: 'lambda', functionName: 'thumbnailer' } as const;

const cases: Case[] = [
  {
    name: 'lambda_oom at MemorySize: ceil(max(peak, MemorySize) × 1.5), below the 1,769 MB point',
    verdict: verdict('lambda_oom', fn),
    evidence: [lambdaConfig(fn, 1024), invocation(fn, 1024, 1024)],
    expect: [{
      id: 'raise_lambda_memory:lambda', edit: { ...onFn, memorySizeMb: 1536 }, executable: true,
      changes: [{ field: 'MemorySize', before: '1024', after: '1536' }],
      command: ['aws lambda update-function-configuration --function-name thumbnailer --memory-size 1536'],
    }],
  },
  {
    name: 'crossing 1,769 MB: the note on one full vCPU, CPU roughly doubling and cost',
    verdict: verdict('lambda_oom', fn, { peakBytes: 1400 * MiB }),
    evidence: [lambdaConfig(fn, 1024)],
    expect: [{
      id: 'raise_lambda_memory:lambda', edit: { ...onFn, memorySizeMb: 2100 },
      changes: [{ field: 'MemorySize', before: '1024', after: '2100' }],
      why: ['1,769 MB', 'one full vCPU', 'roughly double'],
      risk: ['Cost per millisecond rises'],
    }],
  },
  {
    name: 'in 1 MB steps: 1,001 MB used of 1,000 → 1,502',
    verdict: verdict('lambda_oom', fn),
    evidence: [lambdaConfig(fn, 1000), invocation(fn, 1001, 1000)],
    expect: [{ id: 'raise_lambda_memory:lambda', edit: { ...onFn, memorySizeMb: 1502 }, changes: [{ field: 'MemorySize', before: '1000', after: '1502' }] }],
  },
  {
    name: 'clamped at 10,240 MB, and says so',
    verdict: verdict('lambda_oom', fn),
    evidence: [lambdaConfig(fn, 8192), invocation(fn, 8192, 8192)],
    expect: [{
      id: 'raise_lambda_memory:lambda', edit: { ...onFn, memorySizeMb: 10240 },
      changes: [{ field: 'MemorySize', before: '8192', after: '10240' }],
      command: ['--memory-size 10240'],
      why: ['10,240 MB maximum'],
    }],
  },
  {
    name: 'already at 10,240 MB: no memory proposal (only the leak advice here)',
    verdict: verdict('lambda_oom', fn, { factors: ['memory_leak'] }),
    evidence: [lambdaConfig(fn, 10240), invocation(fn, 10240, 10240), runtime(fn, { runtime: 'python' })],
    expect: [{ id: 'investigate_leak:lambda', executable: false, command: ['/aws/lambda/thumbnailer', '@logStream'] }],
  },
  {
    name: 'Node 16 unaware: NODE_OPTIONS merged through get-function-configuration + jq, then memory with the ceiling re-sized',
    verdict: verdict('lambda_oom', fn, { factors: ['runtime_unaware_of_limit'] }),
    evidence: [lambdaConfig(fn, 1024, { runtime: 'nodejs16.x' }), invocation(fn, 1024, 1024), runtime(fn, { runtime: 'node', runtimeVersion: 16, envNames: ['NODE_OPTIONS', 'BUCKET'] })],
    expect: [
      {
        id: 'set_runtime_heap:lambda', edit: { ...onFn, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '768' }] }, executable: true,
        changes: [{ field: 'NODE_OPTIONS --max-old-space-size', before: null, after: '768' }],
        command: [
          "aws lambda get-function-configuration --function-name thumbnailer --query '{Variables: Environment.Variables}'",
          '.Variables["NODE_OPTIONS"] = (("--max-old-space-size=768 "',
          'aws lambda update-function-configuration --function-name thumbnailer --environment file://env.json',
        ],
        notCommand: ['BUCKET', '--memory-size'],
      },
      {
        id: 'raise_lambda_memory:lambda', edit: { ...onFn, memorySizeMb: 1536, env: [{ name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '1152' }] }, executable: true,
        changes: [{ field: 'MemorySize', before: '1024', after: '1536' }, { field: 'NODE_OPTIONS --max-old-space-size', before: null, after: '1152' }],
        command: ['--memory-size 1536 --environment file://env.json', '--max-old-space-size=1152'],
        why: ['only moves the cliff'],
      },
    ],
  },
  {
    name: 'JVM heap ceiling above 75% of MemorySize: MaxRAMPercentage in JAVA_TOOL_OPTIONS first',
    verdict: verdict('lambda_oom', fn, { factors: ['heap_at_or_above_limit'] }),
    evidence: [lambdaConfig(fn, 2048, { runtime: 'java17' }), invocation(fn, 2048, 2048), runtime(fn, { runtime: 'jvm', runtimeVersion: 17, jvmXmxBytes: 2048 * MiB, envNames: ['JAVA_TOOL_OPTIONS'], settingSources: { jvmXmxBytes: 'JAVA_TOOL_OPTIONS' } })],
    expect: [
      { id: 'set_jvm_ram_percentage:lambda', edit: { ...onFn, env: [{ name: 'JAVA_TOOL_OPTIONS', flag: '-XX:MaxRAMPercentage', value: '75', remove: ['-Xmx', '-XX:MaxHeapSize', '-XX:-UseContainerSupport'] }] }, command: ['.Variables["JAVA_TOOL_OPTIONS"]', '-XX:MaxRAMPercentage=75'] },
      { id: 'raise_lambda_memory:lambda', edit: { ...onFn, memorySizeMb: 3072 }, changes: [{ field: 'MemorySize', before: '2048', after: '3072' }] },
    ],
  },
  {
    name: 'stop_timeout and probe_failure have no Lambda fix',
    verdict: verdict('stop_timeout', fn),
    evidence: [lambdaConfig(fn, 1024)],
    expect: [],
  },
];

describe('plan: lambda', () => {
  test.each(cases)('$name', (c) => {
    checkCase(c);
  });
});
