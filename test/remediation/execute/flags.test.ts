import type { EnvEdit } from '../../../src/remediation/edit.js';
import { envState } from '../../../src/remediation/execute/env-state.js';
import { envValue } from '../../../src/remediation/execute/env-value.js';
import { readFlags } from '../../../src/remediation/execute/read-flags.js';
import { restoredEnvValue } from '../../../src/remediation/execute/restored-env-value.js';

const node: EnvEdit = { name: 'NODE_OPTIONS', flag: '--max-old-space-size', value: '576' };
const jvm: EnvEdit = { name: 'JAVA_TOOL_OPTIONS', flag: '-XX:MaxRAMPercentage', value: '75', remove: ['-Xmx', '-XX:MaxHeapSize', '-XX:-UseContainerSupport'] };
const oldJvm: EnvEdit = { name: 'JAVA_TOOL_OPTIONS', flag: '-Xmx', value: '1536m', remove: ['-XX:MaxHeapSize', '-XX:MaxRAMPercentage', '-XX:-UseContainerSupport'] };
const go: EnvEdit = { name: 'GOMEMLIMIT', value: '460MiB' };

describe('env flag edits: set the flag, drop conflicting ones, keep every other flag; and back', () => {
  test.each<{ name: string; edit: EnvEdit; current: string | undefined; applied: string; restored: string | null; state: ReturnType<typeof envState> }>([
    {
      name: 'NODE_OPTIONS absent: the flag alone',
      edit: node, current: undefined, applied: '--max-old-space-size=576',
      restored: null,
      state: { exists: false, flags: { '--max-old-space-size': null } },
    },
    {
      name: 'NODE_OPTIONS with other flags: prepended, the others kept in order',
      edit: node, current: '--enable-source-maps --trace-warnings', applied: '--max-old-space-size=576 --enable-source-maps --trace-warnings',
      restored: '--enable-source-maps --trace-warnings',
      state: { exists: true, flags: { '--max-old-space-size': null } },
    },
    {
      name: 'NODE_OPTIONS with the flag: replaced where it stood',
      edit: node, current: '--enable-source-maps --max-old-space-size=1024 --trace-warnings', applied: '--enable-source-maps --max-old-space-size=576 --trace-warnings',
      restored: '--enable-source-maps --max-old-space-size=1024 --trace-warnings',
      state: { exists: true, flags: { '--max-old-space-size': '1024' } },
    },
    {
      name: 'NODE_OPTIONS in V8 spelling with a space-separated value (both read by Node)',
      edit: node, current: '--max_old_space_size 900 --no-deprecation', applied: '--max-old-space-size=576 --no-deprecation',
      restored: '--max-old-space-size=900 --no-deprecation',
      state: { exists: true, flags: { '--max-old-space-size': '900' } },
    },
    {
      name: 'NODE_OPTIONS given twice: both go (the last one won)',
      edit: node, current: '--max-old-space-size=100 --inspect --max-old-space-size=200', applied: '--max-old-space-size=576 --inspect',
      restored: '--max-old-space-size=200 --inspect',
      state: { exists: true, flags: { '--max-old-space-size': '200' } },
    },
    {
      name: 'JAVA_TOOL_OPTIONS: -Xmx and -UseContainerSupport out, MaxRAMPercentage in, other flags kept',
      edit: jvm, current: '-Xmx1g -Dfile.encoding=UTF-8 -XX:-UseContainerSupport -XX:+UseG1GC', applied: '-XX:MaxRAMPercentage=75 -Dfile.encoding=UTF-8 -XX:+UseG1GC',
      restored: '-Xmx1g -XX:-UseContainerSupport -Dfile.encoding=UTF-8 -XX:+UseG1GC',
      state: { exists: true, flags: { '-XX:MaxRAMPercentage': null, '-Xmx': '1g', '-XX:MaxHeapSize': null, '-XX:-UseContainerSupport': '' } },
    },
    {
      name: 'JAVA_TOOL_OPTIONS: an existing percentage replaced in place; -Xms is not -Xmx',
      edit: jvm, current: '-Xms256m -XX:MaxRAMPercentage=90.0', applied: '-Xms256m -XX:MaxRAMPercentage=75',
      restored: '-Xms256m -XX:MaxRAMPercentage=90.0',
      state: { exists: true, flags: { '-XX:MaxRAMPercentage': '90.0', '-Xmx': null, '-XX:MaxHeapSize': null, '-XX:-UseContainerSupport': null } },
    },
    {
      name: 'old JVM: -Xmx glued on, MaxHeapSize out',
      edit: oldJvm, current: '-XX:MaxHeapSize=2g -verbose:gc', applied: '-Xmx1536m -verbose:gc',
      restored: '-XX:MaxHeapSize=2g -verbose:gc',
      state: { exists: true, flags: { '-Xmx': null, '-XX:MaxHeapSize': '2g', '-XX:MaxRAMPercentage': null, '-XX:-UseContainerSupport': null } },
    },
    {
      name: 'GOMEMLIMIT: a whole value, replaced',
      edit: go, current: '900MiB', applied: '460MiB',
      restored: '900MiB',
      state: { exists: true, value: '900MiB' },
    },
  ])('$name', ({ edit, current, applied, restored, state }) => {
    expect(envValue(edit, current)).toBe(applied);
    expect(envState(edit, current)).toEqual(state);
    // Rollback from the applied value: the edited flags back at their old values, other flags as they are.
    expect(restoredEnvValue(state, applied)).toBe(restored);
    if (restored !== null) expect(envState(edit, restored)).toEqual(state);
  });

  test('readFlags: the last occurrence wins, absent is null, a bare flag is ""', () => {
    expect(readFlags('-Xmx512m -Xmx1g -XX:-UseContainerSupport', ['-Xmx', '-XX:-UseContainerSupport', '-XX:MaxRAMPercentage'])).toEqual({
      '-Xmx': '1g', '-XX:-UseContainerSupport': '', '-XX:MaxRAMPercentage': null,
    });
    expect(readFlags(undefined, ['--max-old-space-size'])).toEqual({ '--max-old-space-size': null });
  });
});
