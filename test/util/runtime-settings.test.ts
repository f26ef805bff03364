import { runtimeSettings } from '../../src/util/runtime-settings.js';

describe('runtimeSettings', () => {
  test.each([
    ['Node image tag and NODE_OPTIONS', { image: 'node:14-alpine', env: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=768 --enable-source-maps' }] }, { runtime: 'node', runtimeVersion: 14, nodeMaxOldSpaceMb: 768 }],
    ['NODE_VERSION env wins over the tag', { image: 'registry/app:3.1', env: [{ name: 'NODE_VERSION', value: '18.17.1' }] }, { runtime: 'node', runtimeVersion: 18 }],
    ['JVM -Xmx in JAVA_TOOL_OPTIONS', { image: 'eclipse-temurin:17-jre', env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx512m -XX:+UseG1GC' }] }, { runtime: 'jvm', runtimeVersion: 17, jvmXmxBytes: 512 * 1024 * 1024 }],
    ['Java 8 update from JAVA_VERSION', { image: 'openjdk:8-jre', env: [{ name: 'JAVA_VERSION', value: '8u181' }] }, { runtime: 'jvm', runtimeVersion: 8, jvmUpdate: 181 }],
    ['Java 8 update from 1.8.0_NNN', { image: 'corp/java-base', env: [{ name: 'JAVA_VERSION', value: '1.8.0_151' }] }, { runtime: 'jvm', runtimeVersion: 8, jvmUpdate: 151 }],
    ['MaxRAMFraction=1 is the whole limit', { image: 'openjdk:8u151-jre', env: [{ name: 'JAVA_OPTS', value: '-XX:+UnlockExperimentalVMOptions -XX:+UseCGroupMemoryLimitForHeap -XX:MaxRAMFraction=1' }] }, { runtime: 'jvm', jvmMaxRamPercentage: 100, jvmCgroupHeapFlag: true, jvmUpdate: 151 }],
    ['GOMEMLIMIT', { image: 'gcr.io/distroless/static', env: [{ name: 'GOMEMLIMIT', value: '460MiB' }] }, { runtime: 'go', goMemLimitBytes: 460 * 1024 * 1024 }],
    ['gunicorn workers from nproc', { image: 'python:3.11-slim', command: ['sh', '-c', 'gunicorn -w $(nproc) app:app'] }, { runtime: 'python', workersFromCpuCount: true }],
    ['celery worker without -c', { image: 'python:3.12', command: ['celery', '-A', 'proj', 'worker'] }, { runtime: 'python', workersFromCpuCount: true }],
    ['Lambda runtime id', { lambdaRuntime: 'nodejs18.x' }, { runtime: 'node', runtimeVersion: 18 }],
  ])('%s', (_n, input, expected) => {
    expect(runtimeSettings(input)).toMatchObject(expected);
  });

  test('keeps env names, never values', () => {
    const s = runtimeSettings({ env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'NODE_OPTIONS', value: '--max-old-space-size=100' }] });
    expect(s.envNames).toEqual(['DB_PASSWORD', 'NODE_OPTIONS']);
    expect(JSON.stringify(s)).not.toContain('hunter2');
  });
});
