import type { Case } from './case.js';
import type { NextStep } from './verdict.js';
import { kernelLogCommand } from './kernel-log-command.js';
import { lastSegment } from './identity.js';
import { reportQueryCommand } from './report-query-command.js';

/** What to collect next for this case: the exact commands for the evidence that is missing. */
export function nextSteps(c: Case): NextStep[] {
  const t = c.target;
  const have = new Set(c.all.map((e) => e.kind));
  const steps: NextStep[] = [];
  const kernel = () => { if (!have.has('log.coverage') && !have.has('kernel.oom')) steps.push({ why: 'the kernel log shows whether an OOM killer (cgroup or global) fired at the exit', command: kernelLogCommand(c) }); };
  switch (c.platform) {
    case 'docker': {
      const name = t.containerName ?? t.containerId?.slice(0, 12) ?? 'CONTAINER';
      if (!have.has('container.state')) steps.push({ why: 'the container state has the exit code and OOMKilled', command: `docker inspect ${name}` });
      kernel();
      if (!have.has('docker.event')) steps.push({ why: 'engine events tell docker kill, docker stop and OOM apart', command: `docker events --since ${c.judged?.startedAt ?? '1h'} --until ${c.judged?.finishedAt ? `'${c.judged.finishedAt}'` : '0s'} --filter container=${name} --format '{{json .}}'` });
      break;
    }
    case 'kubernetes': {
      const ns = t.namespace ?? 'default';
      const pod = t.pod ?? 'POD';
      if (!have.has('pod.status')) steps.push({ why: 'the pod shows last state, QoS class and limits', command: `kubectl get pod ${pod} -n ${ns} -o yaml` });
      if (!have.has('k8s.event')) steps.push({ why: 'events show probe kills, evictions and stops (kept for about an hour)', command: `kubectl get events -n ${ns} --field-selector involvedObject.name=${pod} -o yaml` });
      if (!have.has('node')) steps.push({ why: 'the node shows memory pressure', command: `kubectl get node ${t.node ?? 'NODE'} -o yaml` });
      kernel();
      break;
    }
    case 'ecs': {
      const task = t.taskArn ?? t.taskId ?? lastSegment(t.taskArn) ?? 'TASK';
      if (!have.has('ecs.task')) steps.push({ why: 'the task shows stopCode, stoppedReason and exit codes', command: `aws ecs describe-tasks --cluster ${t.cluster ?? 'CLUSTER'} --tasks ${task}` });
      if (!have.has('limits')) steps.push({ why: 'the task definition shows hard and soft memory', command: `aws ecs describe-task-definition --task-definition ${c.ecsTask?.taskDefinitionArn ?? 'FAMILY:REVISION'}` });
      if (c.ecsTask?.launchType !== 'FARGATE') kernel();
      break;
    }
    case 'lambda': {
      const fn = t.functionName ?? 'FUNCTION';
      if (!have.has('lambda.invocation')) steps.push({ why: 'REPORT lines give Max Memory Used against Memory Size', command: reportQueryCommand(fn) });
      if (!have.has('lambda.config')) steps.push({ why: 'the configuration has MemorySize and the runtime', command: `aws lambda get-function-configuration --function-name ${fn}` });
      break;
    }
    default:
      kernel();
      if (!have.has('container.state')) steps.push({ why: 'a container, pod, task or function artifact identifies what died and how', command: 'docker inspect CONTAINER | kubectl get pod POD -o yaml | aws ecs describe-tasks ... | aws lambda get-function-configuration ...' });
  }
  return steps;
}
