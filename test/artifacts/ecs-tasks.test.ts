import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ecsTasks } from '../../src/artifacts/ecs-tasks.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const MIB = 1024 * 1024;

describe('ecs.tasks through readArtifact', () => {
  const cases: {
    fixture: string;
    task: Record<string, unknown>;
    container: Record<string, unknown>;
    taskMemory: number | null;
    containerLimits?: { memoryLimitBytes: number | null; memoryReservationBytes?: number };
  }[] = [
    {
      fixture: 'tasks-fargate-oom.json',
      task: { stopCode: 'EssentialContainerExited', stoppedReason: 'OutOfMemoryError: Container killed due to memory usage', launchType: 'FARGATE', stoppedAt: '2024-05-01T10:17:58.457Z', startedAt: '2024-05-01T09:42:12.590Z', group: 'service:orders-api' },
      container: { exitCode: 137, oomKilled: true, reason: 'OutOfMemoryError: Container killed due to memory usage', status: 'STOPPED', healthStatus: 'UNKNOWN' },
      taskMemory: 512 * MIB,
    },
    {
      fixture: 'tasks-ec2-soft-limit-oom.json',
      task: { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', launchType: 'EC2', createdAt: '2024-05-01T09:36:43.118Z', stoppedAt: '2024-05-01T10:35:41.263Z' },
      container: { exitCode: 137, oomKilled: true, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      taskMemory: null,
      containerLimits: { memoryLimitBytes: null, memoryReservationBytes: 768 * MIB },
    },
    {
      fixture: 'tasks-scale-in-sigkill.json',
      task: { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/8126571948002357196)', launchType: 'FARGATE' },
      container: { exitCode: 137, oomKilled: false, healthStatus: 'HEALTHY' },
      taskMemory: 1024 * MIB,
      containerLimits: { memoryLimitBytes: 1024 * MIB },
    },
    {
      fixture: 'tasks-health-check-failed.json',
      task: { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', healthStatus: 'UNHEALTHY' },
      container: { exitCode: 137, oomKilled: false, healthStatus: 'UNHEALTHY' },
      taskMemory: 2048 * MIB,
    },
    {
      fixture: 'tasks-elb-health-check.yaml',
      task: { stopCode: 'ServiceSchedulerInitiated', stoppedReason: expect.stringMatching(/^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:/) },
      container: { exitCode: 137, oomKilled: false },
      taskMemory: 2048 * MIB,
      containerLimits: { memoryLimitBytes: 1536 * MIB },
    },
    {
      fixture: 'tasks-spot-interruption.json',
      task: { stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.', launchType: 'FARGATE' },
      container: { exitCode: 137, oomKilled: false },
      taskMemory: 1024 * MIB,
    },
  ];

  test.each(cases)('$fixture', async ({ fixture, task, container, taskMemory, containerLimits }) => {
    const file = fixturePath('ecs', fixture);
    const result = await readArtifact(file);
    expect(result.kind).toBe('ecs.tasks');
    const [t] = ofKind(result.evidence, 'ecs.task');
    expect(t).toMatchObject({ ...task, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', cite: { file, at: 'tasks[0].stoppedReason' } });
    expect(t!.subject).toMatchObject({ platform: 'ecs', taskId: expect.stringMatching(/^[0-9a-f]{32}$/), cluster: expect.stringMatching(/^[\w-]+$/) });
    expect(t!.subject.taskArn).toMatch(new RegExp(`^arn:aws:ecs:us-east-1:123456789012:task/${t!.subject.cluster}/${t!.subject.taskId}$`));

    const first = ofKind(result.evidence, 'container.state')[0]!;
    expect(first).toMatchObject(container);
    expect(first.subject.runtimeId).toBeDefined();
    expect(first.subject.containerId).toBe(first.subject.runtimeId);
    expect(first.subject.taskDefinition).toMatch(/^[\w-]+:\d+$/);

    const limits = ofKind(result.evidence, 'limits');
    expect(limits.find((l) => l.scope === 'task')!.memoryLimitBytes).toBe(taskMemory);
    const mine = limits.find((l) => l.scope === 'container' && l.subject.containerName === first.subject.containerName);
    if (containerLimits) expect(mine).toMatchObject(containerLimits);
    else expect(mine).toBeUndefined();
  });
});

describe('ecs.tasks parser', () => {
  test('reason → oomKilled: only OutOfMemoryError reasons count', () => {
    const table: [string | undefined, string, boolean | undefined][] = [
      ['OutOfMemoryError: Container killed due to memory usage', 'STOPPED', true],
      ['OutOfMemoryError: container killed due to memory usage', 'STOPPED', true],
      ['Essential container in task exited', 'STOPPED', false],
      ['CannotPullContainerError: pull image manifest has been retried 5 time(s)', 'STOPPED', false],
      [undefined, 'STOPPED', false],
      [undefined, 'RUNNING', undefined],
    ];
    for (const [reason, lastStatus, oomKilled] of table) {
      const doc = { taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/c/0123456789abcdef0123456789abcdef', containers: [{ name: 'app', lastStatus, exitCode: 137, ...(reason ? { reason } : {}) }] };
      const [state] = ofKind(ecsTasks.parse(doc, 'x.json'), 'container.state');
      expect([reason, state!.oomKilled]).toEqual([reason, oomKilled]);
    }
  });

  test('a bare task, epoch-second times (CLI v1) and an old-style task ARN', () => {
    const doc = {
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/0123456789abcdef0123456789abcdef', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/default',
      lastStatus: 'STOPPED', stoppedAt: 1714557600.5, memory: '0.5GB', launchType: 'EC2',
      containers: [{ name: 'app', lastStatus: 'STOPPED', exitCode: 137, memory: '256', memoryReservation: '128' }],
    };
    expect(ecsTasks.detect(doc)).toBe(true);
    const ev = ecsTasks.parse(doc, 't.json');
    const [task] = ofKind(ev, 'ecs.task');
    expect(task).toMatchObject({ stoppedAt: '2024-05-01T10:00:00.500Z', cite: { at: 'taskArn' }, subject: { taskId: '0123456789abcdef0123456789abcdef', cluster: 'default' } });
    expect(ofKind(ev, 'limits').map((l) => [l.scope, l.memoryLimitBytes, l.memoryReservationBytes])).toEqual([['task', 512 * MIB, undefined], ['container', 256 * MIB, 128 * MIB]]);
    expect(ofKind(ev, 'container.state')[0]!.cite.at).toBe('containers[0].exitCode');
  });

  test('an EventBridge "ECS Task State Change" event', () => {
    const task = JSON.parse(readFileSync(fixturePath('ecs', 'tasks-fargate-oom.json'), 'utf8')).tasks[0];
    const doc = { version: '0', id: 'e1f2', 'detail-type': 'ECS Task State Change', source: 'aws.ecs', account: '123456789012', detail: task };
    expect(ecsTasks.detect(doc)).toBe(true);
    const [state] = ofKind(ecsTasks.parse(doc, 'e.json'), 'container.state');
    expect(state).toMatchObject({ oomKilled: true, cite: { at: 'detail.containers[0].reason' } });
  });

  test('override environment values never reach the evidence', () => {
    const doc = JSON.parse(readFileSync(fixturePath('ecs', 'tasks-fargate-oom.json'), 'utf8'));
    doc.tasks[0].overrides.containerOverrides[0].environment = [{ name: 'DB_PASSWORD', value: 'ovr-Secret-991!' }];
    expect(JSON.stringify(ecsTasks.parse(doc, 'o.json'))).not.toContain('ovr-Secret-991!');
  });

  test('does not claim task definitions or other JSON', () => {
    const td = JSON.parse(readFileSync(fixturePath('ecs', 'taskdef-node-no-heap.json'), 'utf8'));
    for (const doc of [td, td.taskDefinition, { results: [] }, { items: [] }, [], null, 'tasks']) expect(ecsTasks.detect(doc)).toBe(false);
    expect(ecsTasks.detect(parseYaml(readFileSync(fixturePath('ecs', 'tasks-elb-health-check.yaml'), 'utf8')))).toBe(true);
  });
});

describe('ecs.tasks bad input, through readArtifact', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-ecs-'));
  const good = readFileSync(fixturePath('ecs', 'tasks-fargate-oom.json'), 'utf8');
  const cases: [string, string, string | Buffer][] = [
    ['empty.json', 'why137_artifact_empty', ''],
    ['blank.json', 'why137_artifact_empty', '  \n\n'],
    ['binary.json', 'why137_artifact_binary', Buffer.concat([Buffer.from(good.slice(0, 200)), Buffer.alloc(64, 0)])],
    ['truncated.json', 'why137_artifact_malformed', good.slice(0, Math.floor(good.length / 2))],
    ['malformed.json', 'why137_artifact_malformed', good.replace('"tasks": [', '"tasks": [,')],
    ['missing.json', 'why137_artifact_invalid', JSON.stringify({ tasks: [], failures: [{ arn: 'arn:aws:ecs:us-east-1:123456789012:task/prod-api/9c1f4be2a7d54a3e8b6f0d1c2e3f4a5b', reason: 'MISSING' }] })],
    ['no-arn.json', 'why137_artifact_invalid', JSON.stringify({ tasks: [{ containers: [] }], failures: [] })],
    ['no-containers.yaml', 'why137_artifact_invalid', 'tasks:\n- taskArn: arn:aws:ecs:us-east-1:123456789012:task/c/0123456789abcdef0123456789abcdef\n  lastStatus: STOPPED\n'],
  ];
  test.each(cases)('%s → %s', async (name, code, content) => {
    expect((await artifactFailure(dir, name, content)).code).toBe(code);
  });

  test('the MISSING failure says why', async () => {
    const file = path.join(dir, 'missing.json');
    await expect(readArtifact(file)).rejects.toThrow(/9c1f4be2a7d54a3e8b6f0d1c2e3f4a5b: MISSING.*about an hour/);
  });
});
