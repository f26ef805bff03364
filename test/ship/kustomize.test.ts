import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describeWithComponents } from '../helpers/component.js';
import { projectRoot } from '../helpers/fixture-path.js';
import { readConfig } from '../../src/config/read-config.js';

// deploy/kubernetes rendered offline by `kubectl kustomize` (Debian's kubectl 1.20 embeds kustomize v2.0.3;
// newer ones render the same), then checked against the rules of a safe install and against the
// Kubernetes API calls src/ makes.

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any };
interface Rule { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }

const deployDir = path.join(projectRoot, 'deploy', 'kubernetes');
const SECRET_ENV = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'PAGERDUTY_WEBHOOK_SECRET', 'PAGERDUTY_API_TOKEN'];
const OPTIONAL_SECRET_ENV = ['SLACK_APP_TOKEN', 'PAGERDUTY_WEBHOOK_SECRET', 'PAGERDUTY_API_TOKEN'];

/** "group/resource verb" for every grant; `*` anywhere is kept as is, so a wildcard shows up in a diff. */
function grants(rules: Rule[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    expect(r.resourceNames ?? []).toEqual([]);
    expect(r.nonResourceURLs ?? []).toEqual([]);
    for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) for (const v of r.verbs ?? []) out.add(`${g}/${res} ${v}`);
  }
  return [...out].sort();
}

const cross = (group: string, resources: string[], verbs: string[]) => resources.flatMap((r) => verbs.map((v) => `${group}/${r} ${v}`));
const READ = ['get', 'list', 'watch'];
const DIAGNOSE_GRANTS = [
  ...cross('', ['pods', 'events', 'nodes'], READ),
  ...cross('events.k8s.io', ['events'], READ),
  ...cross('apps', ['replicasets', 'deployments', 'statefulsets', 'daemonsets'], READ),
  ...cross('batch', ['jobs', 'cronjobs'], READ),
].sort();

const API_GROUP: Record<string, string> = { core: '', apps: 'apps', batch: 'batch' };
const VERB: Record<string, string> = { read: 'get', list: 'list', watch: 'watch', patch: 'patch', replace: 'update', create: 'create', delete: 'delete', deleteCollection: 'deletecollection' };

/**
 * The RBAC grants the @kubernetes/client-node calls in these src/ folders need: `k.apps.readNamespacedReplicaSet(`
 * → `apps/replicasets get`, `core.listNamespacedEvent(` → `/events list`, `patchNamespacedDeploymentScale(` → `apps/deployments/scale patch`.
 */
function grantsCalledFrom(...dirs: string[]): string[] {
  const out = new Set<string>();
  for (const dir of dirs) {
    const abs = path.join(projectRoot, 'src', dir);
    for (const rel of readdirSync(abs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(abs, rel), 'utf8');
      for (const m of text.matchAll(/\b(core|apps|batch)\.(read|list|watch|patch|replace|create|deleteCollection|delete)(Namespaced)?([A-Z]\w*?)(ForAllNamespaces)?\s*\(/g)) {
        const [, api = '', verb = '', , kind = ''] = m;
        const sub = /(Status|Scale|Log|Ephemeralcontainers)$/.exec(kind)?.[1];
        const base = sub ? kind.slice(0, -sub.length) : kind;
        const resource = `${base.toLowerCase()}s${sub ? `/${sub.toLowerCase()}` : ''}`;
        out.add(`${API_GROUP[api]}/${resource} ${VERB[verb]}`);
      }
    }
  }
  return [...out].sort();
}

function render(dir: string): Obj[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr.trim()}`);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj).filter(Boolean);
}

const one = (objs: Obj[], kind: string, name?: string): Obj => {
  const found = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found.map((o) => `${o.kind}/${o.metadata.name}`)).toHaveLength(1);
  return found[0]!;
};
const key = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describeWithComponents('deploy/kubernetes rendered with kubectl kustomize', ['kubectl'], () => {
  let base: Obj[];
  let remediation: Obj[];
  beforeAll(() => {
    base = render(deployDir);
    remediation = render(path.join(deployDir, 'overlays', 'remediation'));
  });

  test('the default install: namespace, service account, read-only ClusterRole and binding, config, Deployment, Service; no Secret', () => {
    expect(base.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'Namespace', 'Service', 'ServiceAccount']);
    for (const o of base) if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) expect(o.metadata.namespace).toBe('why137');
  });

  test('the ClusterRole reads pods, events, nodes and the owner chain, and nothing else', () => {
    const role = one(base, 'ClusterRole');
    expect(grants(role.rules)).toEqual(DIAGNOSE_GRANTS);
    for (const g of grants(role.rules)) expect(g.split(' ')[1]).toMatch(/^(get|list|watch)$/);
  });

  test('every Kubernetes API call the sources and clients make is granted by it', () => {
    // `config check` probes with a one-item pod list across namespaces, which this role grants too.
    const calls = grantsCalledFrom('sources', 'clients', 'cli');
    expect(calls.length).toBeGreaterThan(3);
    expect(DIAGNOSE_GRANTS).toEqual(expect.arrayContaining(calls));
  });

  test('the binding gives that role to the Deployment\'s service account', () => {
    const binding = one(base, 'ClusterRoleBinding');
    const sa = one(base, 'ServiceAccount');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: one(base, 'ClusterRole').metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    expect(one(base, 'Deployment').spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
  });

  describe('the Deployment', () => {
    let pod: any;
    let c: any;
    const env = (name: string) => (c.env as any[]).find((e) => e.name === name);
    beforeAll(() => {
      pod = one(base, 'Deployment').spec.template.spec;
      expect(pod.containers).toHaveLength(1);
      c = pod.containers[0];
    });

    test('requests = limits for memory and cpu (Guaranteed QoS)', () => {
      expect(c.resources.requests.memory).toBeDefined();
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.limits).toEqual(c.resources.requests);
    });

    test('liveness on /healthz and readiness on /readyz, on the port PORT names', () => {
      const port = c.ports.find((p: any) => p.name === 'http');
      expect(String(port.containerPort)).toBe(env('PORT').value);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    });

    test('non-root (uid 10001), read-only root filesystem, no privilege escalation, no capabilities', () => {
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBe(10001);
      expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
    });

    test('the data dir is a writable emptyDir; WHY137_CONFIG is a file of the mounted ConfigMap', () => {
      const volume = (mountPath: string) => {
        const mount = (c.volumeMounts as any[]).find((m) => m.mountPath === mountPath);
        expect(mount).toBeDefined();
        return { mount, volume: (pod.volumes as any[]).find((v) => v.name === mount.name) };
      };
      const data = volume(env('WHY137_DATA_DIR').value);
      expect(data.volume.emptyDir).toBeDefined();
      expect(data.mount.readOnly).toBeFalsy();

      const configPath: string = env('WHY137_CONFIG').value;
      const config = volume(path.dirname(configPath));
      const configMap = one(base, 'ConfigMap', config.volume.configMap.name);
      expect(Object.keys(configMap.data)).toContain(path.basename(configPath));
    });

    test('the shipped config is valid for why137 and names no secret', () => {
      const configMap = one(base, 'ConfigMap');
      const text: string = configMap.data['config.yaml'];
      expect(text).not.toMatch(/xox[abp]-|xapp-|-----BEGIN|AKIA[0-9A-Z]{16}/);
      const dir = mkdtempSync(path.join(tmpdir(), 'why137-k8s-config-'));
      try {
        writeFileSync(path.join(dir, 'config.yaml'), text);
        const config = readConfig({ WHY137_DATA_DIR: '/var/lib/why137' }, path.join(dir, 'config.yaml'));
        expect(config.kubernetes.inCluster).toBe(true);
        expect(config.store.path).toBe('/var/lib/why137/why137.sqlite');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('secrets come only from Secret references; the optional ones may be absent', () => {
      for (const name of SECRET_ENV) {
        const e = env(name);
        expect(e).toBeDefined();
        expect(e.value).toBeUndefined();
        expect(e.valueFrom.secretKeyRef.name).toBeTruthy();
        expect(Boolean(e.valueFrom.secretKeyRef.optional)).toBe(OPTIONAL_SECRET_ENV.includes(name));
      }
      // No other variable that looks like a secret carries a literal value.
      for (const e of c.env as any[]) if (/TOKEN|SECRET|PASSWORD|KEY/.test(e.name)) expect(e.value).toBeUndefined();
      expect(c.envFrom ?? []).toEqual([]);
    });

    test('the Service sends port http to these pods', () => {
      const service = one(base, 'Service');
      expect(service.spec.selector).toEqual(one(base, 'Deployment').spec.selector.matchLabels);
      expect(service.spec.ports.map((p: any) => p.targetPort)).toEqual(['http']);
    });
  });

  describe('overlays/remediation', () => {
    test('is the default install unchanged plus one ClusterRole and its binding', () => {
      const before = new Map(base.map((o) => [key(o), o]));
      const added = remediation.filter((o) => !before.has(key(o)));
      expect(added.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding']);
      for (const o of remediation) if (before.has(key(o))) expect(o).toEqual(before.get(key(o)));
      expect(remediation).toHaveLength(base.length + 2);
    });

    test('grants get and patch on the workloads the executor edits: exactly its API calls', () => {
      const role = remediation.find((o) => o.kind === 'ClusterRole' && !base.some((b) => key(b) === key(o)))!;
      const given = grants(role.rules);
      expect(given).toEqual(grantsCalledFrom(path.join('remediation', 'execute')));
      expect(given).toEqual([
        ...cross('apps', ['daemonsets', 'deployments', 'statefulsets'], ['get', 'patch']),
        ...cross('batch', ['cronjobs'], ['get', 'patch']),
      ].sort());
    });

    test('binds it to the same service account', () => {
      const role = remediation.find((o) => o.kind === 'ClusterRole' && !base.some((b) => key(b) === key(o)))!;
      const binding = remediation.find((o) => o.kind === 'ClusterRoleBinding' && o.roleRef.name === role.metadata.name)!;
      const sa = one(base, 'ServiceAccount');
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    });
  });
});
