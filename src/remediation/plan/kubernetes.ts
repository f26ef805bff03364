import type { Change } from '../proposal.js';
import type { Edit, EnvEdit as AppliedEnvEdit } from '../edit.js';
import type { PlanContext } from './plan-context.js';
import type { PlatformPlanner } from './platform-planner.js';
import type { EnvEdit } from './runtime.js';
import { kubernetesWorkload, type KubernetesWorkload } from './kubernetes-workload.js';
import { makeProposal } from './make-proposal.js';
import { withEdit } from './with-edit.js';
import { sigtermProposal } from './sigterm-proposal.js';
import { shellQuote } from './shell-quote.js';
import {
  DEFAULT_GRACE_SECONDS, MIB, PROBE_FAILURE_THRESHOLD, PROBE_TIMEOUT_SECONDS, STARTUP_PROBE_FAILURE_THRESHOLD,
  kubernetesMiB, kubernetesQuantity, proposedGraceSeconds,
} from './sizing.js';

const ROLLOUT_RISK = 'Rolls out new pods. If the workload is deployed by Helm or GitOps, make the same change there or the next sync reverts it.';

/** Kubernetes: `kubectl set resources` / `set env` / `patch` on the pod's controller. */
export const kubernetes: PlatformPlanner = {
  round: (_ctx, needBytes) => kubernetesMiB(needBytes) * MIB,

  memory(ctx, intent) {
    const w = kubernetesWorkload(ctx);
    const c = ctx.target.containerName;
    const containerPath = `${w.podSpecPath}.containers[${c ?? '?'}].resources`;
    const limit = kubernetesQuantity(intent.limitBytes);
    const changes: Change[] = [];
    const limitBefore = ctx.containerLimits?.memoryLimitBytes;
    const limitBeforeText = limitBefore === undefined || limitBefore === null ? null : kubernetesQuantity(limitBefore);
    if (limitBeforeText !== limit) changes.push({ field: `${containerPath}.limits.memory`, before: limitBeforeText, after: limit });
    let requests: string | undefined;
    if (intent.requestsBytes !== undefined) {
      requests = kubernetesQuantity(intent.requestsBytes);
      const before = ctx.requestBytes === undefined ? null : kubernetesQuantity(ctx.requestBytes);
      if (before !== requests) changes.push({ field: `${containerPath}.requests.memory`, before, after: requests });
    }
    const runtimeChanges = intent.runtime.flatMap((f) => f.changes);
    if (changes.length === 0) return [];
    const setResources = `kubectl set resources ${w.ref}${ns(ctx)} -c ${shellQuote(c ?? 'CONTAINER')} --limits=memory=${limit}${requests ? ` --requests=memory=${requests}` : ''}`;
    const envCommands = intent.runtime.filter((f) => f.edit).map((f) => setEnv(ctx, w, f.edit!));
    const manual = intent.runtime.filter((f) => f.manual).map((f) => f.manual!);
    const title = {
      raise_memory_limit: `Raise the memory limit of ${c ?? 'the container'} to ${limit}`,
      set_memory_limit: `Set a memory limit of ${limit} on ${c ?? 'the container'}`,
      requests_equal_limits: `Set memory requests = limits = ${limit} on ${c ?? 'the container'}`,
    }[intent.action];
    let why = intent.why;
    if (requests !== undefined) {
      why += ' Requests = limits reserves the memory on the node when the pod is scheduled, and a pod using no more than it requested is the last the kubelet evicts under node pressure (Guaranteed QoS also needs cpu requests = limits on every container).';
    }
    if (runtimeChanges.length > 0) why += ' The runtime ceiling moves with it, to stay at its share of the new limit.';
    return [makeProposal(ctx, {
      action: intent.action,
      title,
      changes: [...changes, ...runtimeChanges],
      why,
      risk: [intent.risk, requests !== undefined
        ? `Each new pod needs ${requests} of memory free on a node to schedule; a namespace LimitRange or ResourceQuota may reject it.`
        : 'Limits above requests let the node overcommit: the node must really have the memory; a namespace LimitRange or ResourceQuota may reject it.', ROLLOUT_RISK, ...manual.map((m) => `Not automatic: ${m}.`), ...notes(w)].join(' '),
      command: commandFor(w, [setResources, ...envCommands]),
      addresses: intent.addresses,
      ...withEdit(kubernetesEdit(ctx, w, {
        limitsMemory: limit,
        ...(requests !== undefined ? { requestsMemory: requests } : {}),
        ...envEdits(intent.runtime.flatMap((f) => (f.env ? [f.env] : []))),
      })),
    })];
  },

  runtime(ctx, fix) {
    const w = kubernetesWorkload(ctx);
    const command = fix.edit ? commandFor(w, [setEnv(ctx, w, fix.edit)]) : `# ${fix.manual}`;
    return [makeProposal(ctx, {
      action: fix.action, title: fix.title, changes: fix.changes, why: fix.why,
      risk: [fix.risk, ROLLOUT_RISK, ...notes(w)].join(' '),
      command, addresses: fix.addresses,
      ...withEdit(fix.env ? kubernetesEdit(ctx, w, { env: [fix.env] }) : undefined),
    })];
  },

  grace(ctx) {
    const w = kubernetesWorkload(ctx);
    const spec = ctx.pod?.terminationGracePeriodSeconds;
    // The grace this stop really got: the deletion's own, the one a daemon reported, else the spec's.
    const got = ctx.pod?.deletionGracePeriodSeconds ?? ctx.escalationGraceSeconds;
    const used = got ?? spec ?? DEFAULT_GRACE_SECONDS.kubernetes;
    const current = spec ?? DEFAULT_GRACE_SECONDS.kubernetes;
    const next = proposedGraceSeconds(Math.max(current, used));
    const overridden = got !== undefined && got !== current
      ? ` The stop used ${got} s, not the spec's ${current} s: a --grace-period on the delete, an eviction or a drain overrides the spec, and may do so again.`
      : '';
    const grace = makeProposal(ctx, {
      action: 'raise_grace_period',
      title: `Raise terminationGracePeriodSeconds to ${next}`,
      changes: [{ field: `${w.podSpecPath}.terminationGracePeriodSeconds`, before: spec === undefined ? null : String(spec), after: String(next) }],
      why: `The kubelet sent SIGTERM, waited ${used} s and the container was still running, so it sent SIGKILL (exit 137). ${next} s gives a slow shutdown room to finish.${overridden}`,
      risk: [`Rollouts and node drains wait up to ${next} s per pod; a process that ignores SIGTERM is still killed, only later (see handle_sigterm). A preStop hook's time counts against it.`, ROLLOUT_RISK, ...notes(w)].join(' '),
      command: commandFor(w, [`kubectl patch ${w.ref}${ns(ctx)} -p ${shellQuote(JSON.stringify(nest(w.podSpecPath, { terminationGracePeriodSeconds: next })))}`]),
      addresses: ['stop_timeout'],
      ...withEdit(kubernetesEdit(ctx, w, { terminationGracePeriodSeconds: next })),
    });
    return [grace, sigtermProposal(ctx, 'tini or dumb-init as the image ENTRYPOINT (ENTRYPOINT ["tini", "--"])')];
  },

  probe(ctx) {
    const w = kubernetesWorkload(ctx);
    const c = ctx.target.containerName ?? 'CONTAINER';
    const failure = ctx.events.find((e) => /liveness probe/i.test(e.message));
    const message = failure?.message ?? '';
    const status = /statuscode: (\d+)/i.exec(message)?.[1];
    const show = `kubectl get ${w.ref}${ns(ctx)} -o jsonpath='{.${w.podSpecPath}.containers[?(@.name=="${c}")].livenessProbe}'`;
    let advice: string;
    let command: string;
    if (/timeout|deadline exceeded/i.test(message)) {
      advice = `The probe timed out: the process was too busy to answer within timeoutSeconds (default 1 s). ${PROBE_TIMEOUT_SECONDS} s and ${PROBE_FAILURE_THRESHOLD} failures ride out a GC pause or a load spike without hiding a stuck process.`;
      const patch = nest(w.podSpecPath, { containers: [{ name: c, livenessProbe: { timeoutSeconds: PROBE_TIMEOUT_SECONDS, failureThreshold: PROBE_FAILURE_THRESHOLD } }] });
      command = `${show}   # current values first\n${commandFor(w, [`kubectl patch ${w.ref}${ns(ctx)} -p ${shellQuote(JSON.stringify(patch))}`])}`;
    } else if (/connection refused|no such host|connect:/i.test(message)) {
      advice = `Nothing was listening yet: the liveness probe started before the app was up. A startupProbe with the same handler (failureThreshold ${STARTUP_PROBE_FAILURE_THRESHOLD}, periodSeconds 10: five minutes to start) holds the liveness probe back until it answers once.`;
      command = `${show}   # copy its handler into a startupProbe with failureThreshold: ${STARTUP_PROBE_FAILURE_THRESHOLD}, periodSeconds: 10`;
    } else if (status !== undefined) {
      advice = `The endpoint answered HTTP ${status}: the app reported itself unhealthy. A liveness probe should check only that the process can serve, not its dependencies (a database outage must not restart every pod); move dependency checks to the readiness probe.`;
      command = `${show}   # point livenessProbe at an endpoint that does not check dependencies`;
    } else {
      advice = `Check timeoutSeconds (default 1 s; try ${PROBE_TIMEOUT_SECONDS}), failureThreshold (default 3; try ${PROBE_FAILURE_THRESHOLD}), and add a startupProbe if it dies during start-up rather than initialDelaySeconds guesswork.`;
      command = `${show}   # current values first`;
    }
    const pressure = ctx.factors.has('near_limit') ? ' Memory was near the limit (near_limit): a process thrashing in GC answers probes late, so it needs memory headroom too.' : '';
    return [makeProposal(ctx, {
      action: 'fix_probe',
      title: 'Stop the liveness probe from killing a live container',
      changes: [],
      why: `The kubelet restarted the container after failed liveness probes${message ? ` (${message.trim()})` : ''}. ${advice}${pressure}`,
      risk: 'A laxer probe takes longer to restart a container that is really stuck.',
      command,
      addresses: ['probe_failure'],
      executable: false,
    })];
  },

  headroom(ctx) {
    const node = ctx.target.node ?? 'NODE';
    const evicted = ctx.verdict.cause === 'eviction';
    return [makeProposal(ctx, {
      action: 'add_host_headroom',
      title: `Give node ${node} memory headroom`,
      changes: [],
      why: evicted
        ? 'The node ran low on memory and the kubelet evicted pods to save it. Memory limits summing above the node, pods without requests, and too little reserved for the system let that happen.'
        : 'The node ran out of memory, not the container\'s limit: the kernel picked a victim across the whole node. Pods without limits, limits summing above the node\'s memory, and nothing reserved for the system let that happen.',
      risk: 'Reserving memory lowers the node\'s allocatable: fewer pods fit per node.',
      command: [
        `kubectl describe node ${node}${kubeContext(ctx)} | sed -n '/Allocated resources/,/Events/p'   # memory limits above 100% = overcommitted`,
        `kubectl top node ${node}${kubeContext(ctx)}`,
        '# reserve memory the pods cannot take (KubeletConfiguration): systemReserved/kubeReserved memory, evictionHard memory.available<500Mi',
        '# give every pod a memory limit (a namespace LimitRange default), or move to bigger nodes',
      ].join('\n'),
      addresses: [ctx.verdict.cause, ...(ctx.factors.has('node_memory_pressure') ? ['node_memory_pressure' as const] : [])],
      executable: false,
    })];
  },

  exec(ctx) {
    const pod = ctx.target.pod ?? 'POD';
    const c = ctx.target.containerName;
    return (command) => `kubectl exec${ns(ctx)} ${pod}${c ? ` -c ${shellQuote(c)}` : ''} -- ${command}`;
  },
};

type KubernetesEdit = Extract<Edit, { platform: 'kubernetes' }>;

/**
 * The edit on the owning workload, or undefined when it cannot be complete: no controller whose pod template
 * can be patched (bare pod, Job, bare ReplicaSet, unknown owner), or no namespace or container name.
 */
function kubernetesEdit(ctx: PlanContext, w: KubernetesWorkload, fields: Pick<KubernetesEdit, 'limitsMemory' | 'requestsMemory' | 'env' | 'terminationGracePeriodSeconds'>): KubernetesEdit | undefined {
  const namespace = ctx.target.namespace;
  const container = ctx.target.containerName;
  if (!w.patchable || w.editable === undefined || namespace === undefined || container === undefined) return undefined;
  return { platform: 'kubernetes', ...(ctx.target.context !== undefined ? { context: ctx.target.context } : {}), namespace, workload: w.editable, container, ...fields };
}

function envEdits(env: AppliedEnvEdit[]): { env?: AppliedEnvEdit[] } {
  return env.length > 0 ? { env } : {};
}

/** The namespace and, when the target named one, the kube context: the command goes where the diagnosis read. */
function ns(ctx: PlanContext): string {
  return `${ctx.target.namespace ? ` -n ${shellQuote(ctx.target.namespace)}` : ''}${kubeContext(ctx)}`;
}

function kubeContext(ctx: PlanContext): string {
  return ctx.target.context !== undefined ? ` --context ${shellQuote(ctx.target.context)}` : '';
}

/** `kubectl set env`, merging a flag into the existing list without printing the other flags. */
function setEnv(ctx: PlanContext, w: KubernetesWorkload, edit: EnvEdit): string {
  const c = ctx.target.containerName ?? 'CONTAINER';
  const head = `kubectl set env ${w.ref}${ns(ctx)} -c ${shellQuote(c)}`;
  if (edit.mode === 'value' || !edit.exists) return `${head} ${edit.variable}=${shellQuote(edit.set)}`;
  const get = `kubectl get ${w.ref}${ns(ctx)} -o jsonpath='{.${w.podSpecPath}.containers[?(@.name=="${c}")].env[?(@.name=="${edit.variable}")].value}'`;
  const sed = `sed -E ${edit.remove.map((p) => `-e 's/${p}//g'`).join(' ')}`;
  return `${head} ${edit.variable}="${edit.set} $(${get} | ${sed})"`;
}

/** The commands for a patchable workload; for one that is not, the note and what to put in its manifest. */
function commandFor(w: KubernetesWorkload, commands: string[]): string {
  if (w.patchable) return commands.join(' && \\\n  ');
  return [`# not patchable in place: ${w.note}`, '# the equivalent change, for the manifest or the owning workload:', ...commands.map((c) => `#   ${c}`)].join('\n');
}

function notes(w: KubernetesWorkload): string[] {
  return w.patchable && w.note ? [`Note: ${w.note}.`] : [];
}

function nest(path: string, leaf: object): object {
  return path.split('.').reduceRight<object>((inner, key) => ({ [key]: inner }), leaf);
}
