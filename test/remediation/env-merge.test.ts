import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RuntimeSettings, Subject } from '../../src/diagnosis/evidence.js';
import { plan } from '../../src/remediation/plan.js';
import { describeWithComponents } from '../helpers/component.js';
import { MiB, ecsTask, lambdaConfig, limits, pod, runtime, verdict } from './build.js';

/**
 * The merge commands really keep the other flags: each runs in a shell against a fake CLI that serves
 * an existing value (kubectl) or JSON document (aws), and the result is checked.
 */
const k8s: Subject & { platform: 'kubernetes' } = { platform: 'kubernetes', namespace: 'shop', pod: 'web-7d9c8b5f4-x2x9z', containerName: 'app' };
let dir: string;

beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'why137-merge-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

function fakeCli(name: string, script: string): void {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

function run(command: string): string {
  return execFileSync('sh', ['-c', command], { cwd: dir, env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` }, encoding: 'utf8' });
}

describe('env merge: kubectl set env', () => {
  test.each<{ name: string; settings: RuntimeSettings; existing: string; expected: string[]; gone: string[] }>([
    {
      name: 'NODE_OPTIONS: --max-old-space-size replaced, other flags kept',
      settings: { runtime: 'node', runtimeVersion: 18, nodeMaxOldSpaceMb: 1024, envNames: ['NODE_OPTIONS'], settingSources: { nodeMaxOldSpaceMb: 'NODE_OPTIONS' } },
      existing: '--enable-source-maps --max-old-space-size=1024 --trace-warnings',
      expected: ['NODE_OPTIONS=--max-old-space-size=768 --enable-source-maps', '--trace-warnings'],
      gone: ['=1024'],
    },
    {
      name: 'JAVA_TOOL_OPTIONS: -Xmx out, MaxRAMPercentage in, other flags kept',
      settings: { runtime: 'jvm', runtimeVersion: 17, jvmXmxBytes: 1024 * MiB, envNames: ['JAVA_TOOL_OPTIONS'], settingSources: { jvmXmxBytes: 'JAVA_TOOL_OPTIONS' } },
      existing: '-Xmx1g -Dfile.encoding=UTF-8 -XX:+UseG1GC',
      expected: ['JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 ', '-Dfile.encoding=UTF-8', '-XX:+UseG1GC'],
      gone: ['-Xmx'],
    },
  ])('$name', ({ settings, existing, expected, gone }) => {
    fakeCli('kubectl', `if [ "$1" = get ]; then printf '%s' '${existing}'; exit 0; fi\nfor a in "$@"; do printf '%s\\n' "$a"; done`);
    const proposals = plan(verdict('cgroup_oom', k8s, { factors: ['heap_at_or_above_limit'] }), [
      limits(k8s, 1024 * MiB), pod(k8s, { owners: [{ kind: 'ReplicaSet', name: 'web-7d9c8b5f4' }] }), runtime(k8s, settings),
    ]);
    const fix = proposals[0]!;
    expect(fix.command).not.toContain(existing);
    const args = run(fix.command).split('\n');
    expect(args.slice(0, 7)).toEqual(['set', 'env', 'deployment/web', '-n', 'shop', '-c', 'app']);
    const assignment = args[7]!;
    for (const e of expected) expect(assignment).toContain(e);
    for (const g of gone) expect(assignment).not.toContain(g);
  });
});

describeWithComponents('env merge: jq edits of the ECS task definition and Lambda environment', ['jq'], () => {
  test('ECS: memory and NODE_OPTIONS edited; other variables, flags and fields kept; read-only fields dropped', () => {
    const api: Subject & { platform: 'ecs' } = { platform: 'ecs', cluster: 'prod', containerName: 'api', taskArn: 'arn:aws:ecs:eu-west-1:1:task/prod/abc' };
    fakeCli('aws', `if [ "$2" = describe-task-definition ]; then cat '${path.join(dir, 'td.json')}'; fi`);
    writeFileSync(path.join(dir, 'td.json'), JSON.stringify({
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/api:3', revision: 3, status: 'ACTIVE', family: 'api', registeredAt: 'x', requiresAttributes: [], compatibilities: ['EC2'],
      containerDefinitions: [
        { name: 'api', memory: 1024, environment: [{ name: 'NODE_OPTIONS', value: '--enable-source-maps --max-old-space-size=4096' }, { name: 'DB_HOST', value: 'db' }] },
        { name: 'envoy', memoryReservation: 128 },
      ],
    }));
    const proposals = plan(verdict('cgroup_oom', api, { factors: ['runtime_unaware_of_limit'] }), [
      limits(api, 1024 * MiB), ecsTask(api, { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/api:3', group: 'service:api' }),
      runtime(api, { runtime: 'node', runtimeVersion: 16, envNames: ['NODE_OPTIONS', 'DB_HOST'] }),
    ]);
    const limit = proposals.find((p) => p.action === 'raise_memory_limit')!;
    run(limit.command.split(' \\\n  && ')[0]!);
    const td = JSON.parse(readFileSync(path.join(dir, 'taskdef.json'), 'utf8'));
    expect(td.taskDefinitionArn).toBeUndefined();
    expect(td.revision).toBeUndefined();
    expect(td.family).toBe('api');
    expect(td.containerDefinitions[0].memory).toBe(1536);
    expect(td.containerDefinitions[0].environment).toEqual([
      { name: 'DB_HOST', value: 'db' },
      { name: 'NODE_OPTIONS', value: '--max-old-space-size=1152 --enable-source-maps' },
    ]);
    expect(td.containerDefinitions[1]).toEqual({ name: 'envoy', memoryReservation: 128 });
  });

  test('Lambda: NODE_OPTIONS set in the existing variables, none lost', () => {
    const fn: Subject & { platform: 'lambda' } = { platform: 'lambda', functionName: 'thumbnailer' };
    fakeCli('aws', `if [ "$2" = get-function-configuration ]; then printf '%s' '{"Variables":{"BUCKET":"b","NODE_OPTIONS":"--max_old_space_size 900 --no-deprecation"}}'; fi`);
    const proposals = plan(verdict('lambda_oom', fn, { factors: ['runtime_unaware_of_limit'] }), [
      lambdaConfig(fn, 1024), runtime(fn, { runtime: 'node', runtimeVersion: 16, envNames: ['NODE_OPTIONS', 'BUCKET'] }),
    ]);
    run(proposals[0]!.command.split(' \\\n  && ')[0]!);
    expect(JSON.parse(readFileSync(path.join(dir, 'env.json'), 'utf8'))).toEqual({
      Variables: { BUCKET: 'b', NODE_OPTIONS: '--max-old-space-size=768  --no-deprecation' },
    });
  });
});
