import type {
  ContainerStateEvidence, Evidence, KernelOomEvidence, KubeEventEvidence, LimitsEvidence, LogCoverageEvidence,
  NodeEvidence, PodStatusEvidence, RuntimeEvidence, Subject, DockerEventEvidence, EcsTaskEvidence,
  LambdaInvocationEvidence, LambdaErrorEvidence, RuntimeHeapEvidence, RuntimeSettings,
} from '../../src/diagnosis/evidence.js';

/** Typed builders for rule tests: each fills a cite and takes only what the test is about. */
let line = 0;
const cite = (file = 'test') => ({ file, at: `line ${++line}` });

export const ids = {
  a: 'a'.repeat(64),
  b: 'b'.repeat(64),
  uid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  otherUid: '9c0c1e2a-1111-4222-8333-444455556666',
};

export function state(subject: Subject, fields: Partial<ContainerStateEvidence> = {}): ContainerStateEvidence {
  return { kind: 'container.state', cite: cite(), subject, ...fields };
}
export function limits(subject: Subject, memoryLimitBytes: number | null, fields: Partial<LimitsEvidence> = {}): LimitsEvidence {
  return { kind: 'limits', cite: cite(), subject, scope: 'container', memoryLimitBytes, ...fields };
}
export function runtime(subject: Subject, settings: RuntimeSettings): RuntimeEvidence {
  return { kind: 'runtime', cite: cite(), subject, settings };
}
export function pod(subject: Subject, fields: Partial<PodStatusEvidence> = {}): PodStatusEvidence {
  return { kind: 'pod.status', cite: cite(), subject, ...fields };
}
export function event(subject: Subject, reason: string, message: string, fields: Partial<KubeEventEvidence> = {}): KubeEventEvidence {
  return { kind: 'k8s.event', cite: cite(), subject, reason, message, ...fields };
}
export function node(name: string, fields: Partial<NodeEvidence> = {}): NodeEvidence {
  return { kind: 'node', cite: cite(), subject: { platform: 'kubernetes', node: name }, name, ...fields };
}
export function oom(subject: Subject, fields: Partial<KernelOomEvidence> = {}): KernelOomEvidence {
  return { kind: 'kernel.oom', cite: cite('dmesg.txt'), subject, scope: 'cgroup', ...fields };
}
export function coverage(fields: Partial<LogCoverageEvidence> = {}): LogCoverageEvidence {
  return { kind: 'log.coverage', cite: cite('dmesg.txt'), subject: {}, log: 'kernel', lines: 100, ...fields };
}
export function dockerEvent(subject: Subject, action: string, fields: Partial<DockerEventEvidence> = {}): DockerEventEvidence {
  return { kind: 'docker.event', cite: cite('events.txt'), subject, action, ...fields };
}
export function ecsTask(subject: Subject, fields: Partial<EcsTaskEvidence> = {}): EcsTaskEvidence {
  return { kind: 'ecs.task', cite: cite('tasks.json'), subject, ...fields };
}
export function invocation(fields: Partial<LambdaInvocationEvidence> = {}, subject: Subject = { platform: 'lambda', functionName: 'fn' }): LambdaInvocationEvidence {
  return { kind: 'lambda.invocation', cite: cite('lambda.log'), subject, ...fields };
}
export function lambdaError(message: string, fields: Partial<LambdaErrorEvidence> = {}, subject: Subject = { platform: 'lambda', functionName: 'fn' }): LambdaErrorEvidence {
  return { kind: 'lambda.error', cite: cite('lambda.log'), subject, message, ...fields };
}
export function heap(subject: Subject, runtimeName: RuntimeHeapEvidence['runtime'], message: string): RuntimeHeapEvidence {
  return { kind: 'runtime.heap', cite: cite('app.log'), subject, runtime: runtimeName, message };
}
export type { Evidence };
