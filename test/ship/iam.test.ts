import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../helpers/fixture-path.js';

// deploy/aws/*.json against the code: every AWS SDK command src/ sends maps to one IAM action (the service's
// prefix and the command's name without "Command"); each policy must grant exactly the actions its part of
// the code needs (plus what AWS authorizes implicitly for them), and nothing else.

const SDK_PREFIX: Record<string, string> = {
  '@aws-sdk/client-ecs': 'ecs',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-lambda': 'lambda',
};

// Actions AWS also authorizes when a call carries certain fields; the remediation sends them.
const IMPLIED: Record<string, string[]> = {
  // The new revision keeps the old one's taskRoleArn/executionRoleArn: registering it passes those roles.
  'ecs:RegisterTaskDefinition': ['iam:PassRole', 'ecs:TagResource'],
  // NOTE: ecs:TagResource because the revision is registered with the old one's tags ("tag on create"):
  // docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html
};

interface Statement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
  NotResource?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface Policy { Version: string; Statement: Statement[] }

const srcDir = path.join(projectRoot, 'src');
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `ecs:DescribeTasks` → the files under src/ that send it, split by the policy that must cover them. */
function actionsSent(): { readOnly: Map<string, string[]>; remediation: Map<string, string[]> } {
  const readOnly = new Map<string, string[]>();
  const remediation = new Map<string, string[]>();
  const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  for (const rel of files) {
    const text = readFileSync(path.join(srcDir, rel), 'utf8');
    const imported = new Map<string, string>(); // local name → IAM prefix
    if (/(import|require)\(\s*'@aws-sdk\//.test(text)) throw new Error(`src/${rel} loads an AWS SDK client dynamically; this scan only follows static named imports`);
    for (const m of text.matchAll(/import\s+([^;]*?)\s+from\s+'(@aws-sdk\/client-[\w-]+)'/g)) {
      const [, clause = '', pkg = ''] = m;
      const prefix = SDK_PREFIX[pkg];
      if (!prefix) throw new Error(`src/${rel} imports ${pkg}: add its IAM prefix to this test and its actions to deploy/aws/*.json`);
      if (!/^(type\s+)?\{[^}]*\}$/s.test(clause.trim())) throw new Error(`src/${rel}: import ${clause} from '${pkg}' is not a named import; this scan only follows named imports`);
      for (const part of clause.replace(/^(type\s+)?\{|\}$/g, '').split(',')) {
        const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
        if (name) imported.set(name, prefix);
      }
    }
    const sent = [...text.matchAll(/\bnew\s+(\w+)Command\s*\(/g)].map((m) => m[1]!);
    for (const command of sent) {
      const prefix = imported.get(`${command}Command`);
      if (!prefix) {
        if (imported.size > 0) throw new Error(`src/${rel}: new ${command}Command( is not imported from an AWS SDK client this test knows`);
        continue;
      }
      const action = `${prefix}:${command}`;
      const into = rel.startsWith(`remediation${path.sep}execute${path.sep}`) ? remediation : readOnly;
      into.set(action, [...(into.get(action) ?? []), `src/${rel}`]);
    }
  }
  return { readOnly, remediation };
}

function readPolicy(name: string): Policy {
  return JSON.parse(readFileSync(path.join(projectRoot, 'deploy', 'aws', name), 'utf8')) as Policy;
}

function granted(policy: Policy): string[] {
  return [...new Set(policy.Statement.flatMap((s) => list(s.Action)))].sort();
}

const sent = actionsSent();
const readOnly = readPolicy('why137-read-only-policy.json');
const remediation = readPolicy('why137-remediation-policy.json');

describe('deploy/aws IAM policies against the AWS SDK calls in src/', () => {
  test('the scan finds the calls the sources are known to make', () => {
    // A scan that silently found nothing would make every other check pass.
    expect([...sent.readOnly.keys()]).toEqual(expect.arrayContaining(['ecs:DescribeTasks', 'logs:StartQuery', 'lambda:GetFunctionConfiguration']));
  });

  test.each([['why137-read-only-policy.json', readOnly], ['why137-remediation-policy.json', remediation]])('%s: only Allow statements with named actions, no wildcards, no Not*', (_name, policy) => {
    expect(policy.Version).toBe('2012-10-17');
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      expect(s.NotAction).toBeUndefined();
      expect(s.NotResource).toBeUndefined();
      for (const a of list(s.Action)) expect(a).toMatch(/^(ecs|logs|lambda|iam):[A-Z][A-Za-z]+$/);
      expect(list(s.Resource).length).toBeGreaterThan(0);
    }
  });

  test('read-only grants exactly what src/sources, src/clients and src/cli send (diagnose and config check)', () => {
    expect(granted(readOnly)).toEqual([...sent.readOnly.keys()].sort());
    // Read-only means no verb that changes anything.
    for (const a of granted(readOnly)) expect(a).toMatch(/:(Describe|List|Get|StartQuery|StopQuery)/);
  });

  test('remediation grants exactly what src/remediation/execute sends, plus what AWS authorizes with it', () => {
    expect(sent.remediation.size).toBeGreaterThan(0);
    const needed = new Set(sent.remediation.keys());
    for (const a of sent.remediation.keys()) for (const extra of IMPLIED[a] ?? []) needed.add(extra);
    expect(granted(remediation)).toEqual([...needed].sort());
  });

  test('iam:PassRole only to ECS tasks, on roles', () => {
    const pass = remediation.Statement.filter((s) => list(s.Action).includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect(list(pass[0]!.Action)).toEqual(['iam:PassRole']);
    for (const r of list(pass[0]!.Resource)) expect(r).toMatch(/^arn:aws:iam::[^:]*:role\//);
    expect(pass[0]!.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
  });

  test('ecs:TagResource only while registering a task definition', () => {
    const tag = remediation.Statement.filter((s) => list(s.Action).includes('ecs:TagResource'));
    expect(tag).toHaveLength(1);
    expect(list(tag[0]!.Action)).toEqual(['ecs:TagResource']);
    expect(tag[0]!.Condition).toEqual({ StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } });
  });

  test('the writes are scoped to services and functions where IAM can scope them', () => {
    const resourcesOf = (action: string) => remediation.Statement.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));
    expect(resourcesOf('ecs:UpdateService')).toEqual(['arn:aws:ecs:*:*:service/*/*']);
    expect(resourcesOf('lambda:UpdateFunctionConfiguration')).toEqual(['arn:aws:lambda:*:*:function:*']);
  });
});
