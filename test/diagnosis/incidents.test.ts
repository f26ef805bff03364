import { explainFiles } from '../../src/cli/explain-files.js';
import { fixturePath } from '../helpers/fixture-path.js';

/**
 * Recorded and composed incidents, each as a person would paste it, and the verdict the field expects.
 * Recorded ones (docker/*, kernel/recorded-*) come from a real dockerd and kernel on this machine.
 */
const incidents: [string, string[], string, string[]?][] = [
  // cgroup_oom
  ['docker: a real OOM kill with its kernel lines and events', ['docker/inspect-oom-killed-cgroupv1.json', 'kernel/recorded-dmesg-docker-oom-cgroupv1-kernel6.18.txt', 'docker/events-oom-killed.jsonl'], 'cgroup_oom'],
  ['docker: a child OOM-killed while the main process exits 3', ['docker/inspect-child-oom-exit3-cgroupv1.json', 'kernel/recorded-dmesg-child-oom-exit3-cgroupv1-kernel6.18.txt', 'docker/events-child-oom-exit3.jsonl'], 'cgroup_oom'],
  ['kubernetes: OOMKilled in a crash loop', ['kubernetes/pod-oomkilled-crashloop.json'], 'cgroup_oom', ['burstable_qos', 'oom_loop']],
  ['kubernetes: describe text of the same', ['kubernetes/describe-oomkilled.txt'], 'cgroup_oom', ['oom_loop']],
  ['kubernetes: -Xmx equal to the limit', ['kubernetes/pod-java-xmx-equals-limit.yaml'], 'cgroup_oom', ['heap_at_or_above_limit']],
  ['kubernetes: Node 14 with no heap flag', ['kubernetes/pod-node-old-no-heap-flag.json'], 'cgroup_oom', ['runtime_unaware_of_limit']],
  ['ecs: Fargate OutOfMemoryError', ['ecs/tasks-fargate-oom.json'], 'cgroup_oom'],
  // host_oom
  ['kubernetes: OOMKilled with no limit at all', ['kubernetes/pod-oomkilled-nolimit.yaml'], 'host_oom', ['no_memory_limit', 'besteffort_qos']],
  ['ecs: EC2 task with only a soft reservation', ['ecs/tasks-ec2-soft-limit-oom.json', 'ecs/taskdef-soft-only.yaml'], 'host_oom', ['soft_limit_only']],
  ['kernel: the node-level /kubepods limit was hit', ['kernel/cgroupv1-kernel4.14-kubepods-node-limit-dmesg-T.txt'], 'host_oom'],
  ['kernel: a global OOM on an old CentOS kernel', ['kernel/global-oom-kernel3.10-centos7-messages.txt'], 'host_oom', ['node_memory_pressure']],
  ['kernel: systemd-oomd', ['kernel/systemd-oomd-and-stop-escalations-journal.txt'], 'host_oom', ['node_memory_pressure']],
  // eviction
  ['kubernetes: evicted pod with its events', ['kubernetes/pod-evicted-memory-pressure.json', 'kubernetes/events-eviction.json'], 'eviction', ['node_memory_pressure']],
  ['kubernetes: describe of an evicted pod', ['kubernetes/describe-evicted.txt'], 'eviction'],
  // lambda_oom
  ['lambda: signal killed after memory climbs', ['lambda/log-signal-killed.txt', 'lambda/config-node18-512.json'], 'lambda_oom', ['memory_leak']],
  ['lambda: Logs Insights REPORT rows (bytes)', ['logs/insights-report-lines.json'], 'lambda_oom'],
  ['lambda: exit status 137 with no REPORT', ['lambda/log-exit-status-137-no-report.txt'], 'lambda_oom'],
  ['lambda: JSON log format', ['lambda/log-json-format.json'], 'lambda_oom'],
  ['lambda: aws logs tail output', ['lambda/tail-output.txt'], 'lambda_oom'],
  ['lambda: filter-log-events JSON', ['lambda/filter-log-events.json'], 'lambda_oom'],
  // stop_timeout
  ['docker: docker stop on a process ignoring SIGTERM', ['docker/inspect-stop-timeout-sigkill.json', 'docker/events-stop-timeout.jsonl'], 'stop_timeout'],
  ['docker: dockerd says it used the force', ['docker/inspect-stop-timeout-sigkill.json', 'docker/dockerd-log-stop-timeout.txt'], 'stop_timeout'],
  ['kubernetes: deleted pod past its grace period', ['kubernetes/pod-deleted-grace-period.json', 'kubernetes/events-killing-scale-down.json'], 'stop_timeout'],
  ['ecs: scale-in', ['ecs/tasks-scale-in-sigkill.json'], 'stop_timeout'],
  ['ecs: spot interruption', ['ecs/tasks-spot-interruption.json'], 'stop_timeout'],
  // probe_failure
  ['kubernetes: liveness probe kill', ['kubernetes/pod-liveness-probe-killed.json', 'kubernetes/events-liveness-probe.json'], 'probe_failure'],
  ['kubernetes: describe of the same', ['kubernetes/describe-liveness-probe.txt'], 'probe_failure'],
  ['ecs: container health checks', ['ecs/tasks-health-check-failed.json'], 'probe_failure'],
  ['ecs: ELB health checks', ['ecs/tasks-elb-health-check.yaml'], 'probe_failure'],
  // external_sigkill
  ['docker: docker kill with a limit in place', ['docker/inspect-docker-kill-with-limit.json', 'docker/events-docker-kill.jsonl'], 'external_sigkill'],
  ['docker: docker kill, limit alone as proof', ['docker/inspect-docker-kill-with-limit.json'], 'external_sigkill'],
  ['docker: docker kill of an unlimited container, proven by the engine\'s events', ['docker/inspect-no-memory-limit-killed.json', 'docker/events-no-memory-limit-killed.jsonl'], 'external_sigkill', ['no_memory_limit']],
  // runtime_heap_limit
  ['container: Node heap abort', ['logs/container-node-heap.txt'], 'runtime_heap_limit'],
  ['container: java.lang.OutOfMemoryError', ['logs/container-java-oom.txt'], 'runtime_heap_limit'],
  ['lambda: Node heap abort in Lambda', ['lambda/log-node-heap-oom.txt'], 'runtime_heap_limit'],
  // unknown
  ['docker: exit 143 is a handled SIGTERM', ['docker/inspect-graceful-stop-exit143.json'], 'unknown'],
  ['docker: an unlimited container SIGKILLed with nothing else to go on', ['docker/inspect-no-memory-limit-killed.json'], 'unknown', ['no_memory_limit']],
  ['kernel: noise only', ['kernel/no-oom-noise-only-dmesg.txt'], 'unknown'],
  ['lambda: a plateau with no kill', ['lambda/log-plateau.txt'], 'unknown'],
];

describe('incidents: fixture set -> verdict', () => {
  test.each(incidents)('%s', async (_name, files, cause, factors = []) => {
    const x = await explainFiles(files.map((f) => fixturePath(...f.split('/'))));
    expect(x.verdict.cause).toBe(cause);
    const codes = x.verdict.factors.map((f) => f.code);
    for (const f of factors) expect(codes).toContain(f);
    expect(x.verdict.summary.length).toBeGreaterThan(20);
    if (cause === 'unknown' && x.verdict.confidence !== 'high') expect(x.verdict.next.length).toBeGreaterThan(0);
  });

  test('a kernel OOM about another container is set aside, and the verdict says so', async () => {
    const x = await explainFiles([fixturePath('docker', 'inspect-docker-kill-with-limit.json'), fixturePath('kernel', 'recorded-dmesg-docker-oom-cgroupv1-kernel6.18.txt')]);
    expect(x.verdict.cause).toBe('external_sigkill');
    expect(x.verdict.setAside.length).toBeGreaterThan(0);
    expect(x.verdict.setAside[0]!.why).toMatch(/another workload/);
  });
});
