import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ecsTaskDefinition } from '../../src/artifacts/ecs-task-definition.js';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { ofKind } from '../../src/diagnosis/evidence.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const MIB = 1024 * 1024;

describe('ecs.task-definition through readArtifact', () => {
  const cases = [
    {
      fixture: 'taskdef-node-no-heap.json', taskDefinition: 'catalog-api:15', task: { memoryLimitBytes: 1024 * MIB, launchType: 'FARGATE', cpu: '512' },
      containers: [{ name: 'api', memoryLimitBytes: 1024 * MIB, settings: { runtime: 'node', runtimeVersion: 16, envNames: ['NODE_ENV', 'PORT', 'DB_HOST', 'DB_PASSWORD', 'STRIPE_API_KEY'] }, noHeap: true }],
    },
    {
      fixture: 'taskdef-java-xmx.json', taskDefinition: 'billing-service:23', task: { memoryLimitBytes: 2048 * MIB, launchType: 'FARGATE' },
      containers: [{ name: 'billing', memoryLimitBytes: 1024 * MIB, settings: { runtime: 'jvm', runtimeVersion: 17, jvmXmxBytes: 1024 * MIB, settingSources: { jvmXmxBytes: 'JAVA_TOOL_OPTIONS' } } }],
    },
    {
      fixture: 'taskdef-go-no-gomemlimit.json', taskDefinition: 'ingest:7', task: { memoryLimitBytes: 1024 * MIB, launchType: 'FARGATE' },
      containers: [{ name: 'ingest', memoryLimitBytes: 512 * MIB, settings: { runtime: 'go' }, noGoLimit: true }],
    },
    {
      fixture: 'taskdef-soft-only.yaml', taskDefinition: 'report-worker:17', task: { memoryLimitBytes: null, launchType: 'EC2' },
      containers: [
        { name: 'report-worker', memoryLimitBytes: null, memoryReservationBytes: 768 * MIB, settings: { runtime: 'python' } },
        { name: 'log-router', memoryLimitBytes: null, memoryReservationBytes: 50 * MIB, settings: {} },
      ],
    },
  ];

  test.each(cases)('$fixture', async ({ fixture, taskDefinition, task, containers }) => {
    const file = fixturePath('ecs', fixture);
    const result = await readArtifact(file);
    expect(result.kind).toBe('ecs.task-definition');
    const limits = ofKind(result.evidence, 'limits');
    expect(limits.find((l) => l.scope === 'task')).toMatchObject({ ...task, subject: { platform: 'ecs', taskDefinition }, cite: { file, at: 'taskDefinition.memory' } });
    for (const c of containers) {
      const lim = limits.find((l) => l.scope === 'container' && l.subject.containerName === c.name);
      expect(lim).toMatchObject({ memoryLimitBytes: c.memoryLimitBytes, launchType: task.launchType, subject: { platform: 'ecs', taskDefinition, containerName: c.name } });
      if ('memoryReservationBytes' in c) expect(lim!.memoryReservationBytes).toBe(c.memoryReservationBytes);
      const rt = ofKind(result.evidence, 'runtime').find((r) => r.subject.containerName === c.name)!;
      expect(rt.settings).toMatchObject(c.settings);
      if ('noHeap' in c) expect(rt.settings.nodeMaxOldSpaceMb).toBeUndefined();
      if ('noGoLimit' in c) expect(rt.settings.goMemLimitBytes).toBeUndefined();
    }
  });

  test('environment and secret values never reach the evidence; secret names do', async () => {
    const result = await readArtifact(fixturePath('ecs', 'taskdef-node-no-heap.json'));
    const text = JSON.stringify(result.evidence);
    expect(text).not.toContain('hunter2-Catalog-Pr0d!');
    expect(text).not.toContain('catalog.cluster-c1a2b3c4d5e6');
    expect(text).not.toContain('secretsmanager');
    expect(text).toContain('STRIPE_API_KEY');
    expect(text).toContain('DB_PASSWORD');
  });
});

describe('ecs.task-definition parser', () => {
  const def = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:3', family: 'app', revision: 3, containerDefinitions: [{ name: 'app', image: 'node:18', ...container }], ...extra,
  });

  test('a command that copies an env value or inlines a password is redacted', () => {
    const doc = def({
      entryPoint: ['sh', '-c'],
      command: ['DB_PASSWORD=s3cr3t-Value-42 exec node --max-old-space-size=768 server.js --api-key abcdef123456 --token=tok_live_991'],
      environment: [{ name: 'DB_PASSWORD', value: 's3cr3t-Value-42' }, { name: 'NODE_ENV', value: 'production' }],
    });
    const ev = ecsTaskDefinition.parse(doc, 'td.json');
    const [rt] = ofKind(ev, 'runtime');
    const text = JSON.stringify(ev);
    for (const secret of ['s3cr3t-Value-42', 'abcdef123456', 'tok_live_991']) expect(text).not.toContain(secret);
    expect(rt!.command!.join(' ')).toContain('--max-old-space-size=768');
    expect(rt!.settings.nodeMaxOldSpaceMb).toBe(768);
  });

  test('a bare task definition; memory strings; compatibilities', () => {
    const table: [unknown, number | null, string[] | undefined, string | undefined][] = [
      ['512', 512 * MIB, ['FARGATE'], 'FARGATE'],
      ['1GB', 1024 * MIB, ['EC2'], 'EC2'],
      ['2 GB', 2048 * MIB, ['EC2', 'FARGATE'], undefined],
      [undefined, null, undefined, undefined],
    ];
    for (const [memory, bytes, compat, launchType] of table) {
      const doc = def({ memory: 256 }, { ...(memory !== undefined ? { memory } : {}), ...(compat ? { requiresCompatibilities: compat } : {}) });
      expect(ecsTaskDefinition.detect(doc)).toBe(true);
      const task = ofKind(ecsTaskDefinition.parse(doc, 'td.json'), 'limits').find((l) => l.scope === 'task')!;
      expect([memory, task.memoryLimitBytes, task.launchType, task.cite.at, task.subject.taskDefinition]).toEqual([memory, bytes, launchType, 'memory', 'app:3']);
    }
  });

  test('does not claim describe-tasks output', () => {
    const tasks = JSON.parse(readFileSync(fixturePath('ecs', 'tasks-fargate-oom.json'), 'utf8'));
    expect(ecsTaskDefinition.detect(tasks)).toBe(false);
    expect(ecsTaskDefinition.detect(tasks.tasks[0])).toBe(false);
  });
});

describe('ecs.task-definition bad input, through readArtifact', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'why137-td-'));
  const good = readFileSync(fixturePath('ecs', 'taskdef-java-xmx.json'), 'utf8');
  const yaml = readFileSync(fixturePath('ecs', 'taskdef-soft-only.yaml'), 'utf8');
  const cases: [string, string, string | Buffer][] = [
    ['empty.json', 'why137_artifact_empty', ''],
    ['binary.yaml', 'why137_artifact_binary', Buffer.concat([Buffer.from(yaml.slice(0, 300)), Buffer.from([0, 0, 0, 0xff, 0xfe])])],
    ['truncated.json', 'why137_artifact_malformed', good.slice(0, 700)],
    ['malformed.yaml', 'why137_artifact_malformed', yaml.replace('  family: report-worker', ' family: [report-worker')],
    ['no-containers.json', 'why137_artifact_invalid', JSON.stringify({ taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:1', family: 'app' } })],
    ['nameless.json', 'why137_artifact_invalid', JSON.stringify({ taskDefinition: { family: 'app', containerDefinitions: [{ image: 'nginx' }] } })],
  ];
  test.each(cases)('%s → %s', async (name, code, content) => {
    expect((await artifactFailure(dir, name, content)).code).toBe(code);
  });
});
