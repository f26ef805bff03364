import { readArtifact } from '../../../src/artifacts/read-artifact.js';
import { explainEvidence } from '../../../src/cli/explain-files.js';
import type { Clients } from '../../../src/clients/clients.js';
import { configSchema } from '../../../src/config/config-schema.js';
import { editReaching } from '../../../src/chat/slack/edit-reaching.js';
import type { Subject } from '../../../src/diagnosis/evidence.js';
import type { Edit } from '../../../src/remediation/edit.js';
import type { ExecuteContext } from '../../../src/remediation/execute/executor.js';
import { kubernetesExecutor } from '../../../src/remediation/execute/kubernetes.js';
import { parseTarget } from '../../../src/targets/parse-target.js';
import { targetPlace } from '../../../src/targets/target-place.js';
import { fixturePath } from '../../helpers/fixture-path.js';
import { fixtureText, startKubernetesHarness, type KubernetesHarness } from '../../sources/kubernetes-harness.js';

// Defaults the edits must NOT fall back to: aws.region is eu-west-1, the kube default context is unnamed.
const config = configSchema.parse({ aws: { region: 'eu-west-1' }, kubernetes: { contexts: ['prod'] } });
const at = (t: string) => parseTarget(t, { kubeContexts: ['prod'] });

describe('a k8s target naming a kube context: the edit and the command name it, and apply goes through it', () => {
  let h: KubernetesHarness;
  beforeAll(async () => { h = await startKubernetesHarness(); });
  afterAll(async () => { await h?.close(); });

  test('k8s:prod/shop/POD plans an edit with context prod; snapshot and apply ask only for prod\'s client', async () => {
    const target = at('k8s:prod/shop/checkout-api-5d8f7c9b6d-x7k2p');
    const { evidence } = await readArtifact(fixturePath('kubernetes', 'pod-oomkilled-crashloop.json'));
    const x = explainEvidence(evidence, [], targetPlace(target));
    expect(x.verdict.target.context).toBe('prod');
    const proposal = x.proposals.find((p) => p.action === 'raise_memory_limit')!;
    expect(proposal.executable).toBe(true);
    expect(proposal.edit).toEqual({
      platform: 'kubernetes', context: 'prod', namespace: 'shop', workload: { kind: 'Deployment', name: 'checkout-api' }, container: 'app',
      limitsMemory: '384Mi', requestsMemory: '384Mi',
    });
    expect(proposal.command).toContain("kubectl set resources deployment/checkout-api -n shop --context prod -c app");
    // The button is offered: the edit goes where the diagnosis read.
    expect(editReaching(proposal.edit!, target, config)).toEqual({ edit: proposal.edit });
    // Without the place (a replayed artifact), the same plan goes to the default context, and is refused for this target.
    const replayed = explainEvidence(evidence, []).proposals.find((p) => p.action === 'raise_memory_limit')!;
    expect(replayed.edit).not.toHaveProperty('context');
    expect(replayed.command).not.toContain('--context');
    expect(editReaching(replayed.edit!, target, config)).toMatchObject({ why: expect.stringContaining('--context prod') });

    // The fake API server stands in for context prod; the default context must never be asked for.
    h.api.reset();
    h.api.add(JSON.parse(fixtureText('kubernetes/api/deployment-checkout-api.json')));
    const asked: (string | undefined)[] = [];
    const clients: Clients = {
      ...h.clients,
      kubernetes: (context) => {
        asked.push(context);
        if (context !== 'prod') throw new Error(`context ${context ?? '(default)'} asked for; the target named prod`);
        return h.clients.kubernetes();
      },
    };
    const ctx: ExecuteContext = { clients, signal: new AbortController().signal };
    const edit = proposal.edit as Extract<Edit, { platform: 'kubernetes' }>;
    const snap = await kubernetesExecutor.snapshot(edit, ctx);
    await kubernetesExecutor.apply(edit, snap, ctx);
    const stored = h.api.get('/apis/apps/v1/namespaces/shop/deployments/checkout-api') as { spec: { template: { spec: { containers: { resources: { limits: { memory: string } } }[] } } } };
    expect(stored.spec.template.spec.containers[0]!.resources.limits.memory).toBe('384Mi');
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['prod']));
  });
});
