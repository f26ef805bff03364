import type { SlackMessage } from './slack-message.js';

const TEXT = [
  '*/why137 <target>*: why did it die with exit 137? I read the target live, post the verdict in this channel with the evidence in a thread, and offer the fix; an approver applies it with a button.',
  '*Targets*',
  '• `k8s:[context/]namespace/pod[/container]`: `/why137 k8s:shop/checkout-7d9f8-x2x4q`',
  '• `k8s:[context/]namespace/deployment|statefulset|daemonset|job/NAME[/container]`: `/why137 k8s:shop/deployment/checkout`',
  '• `ecs:[region/]cluster/TASK-ID` (or the task ARN), `ecs:[region/]cluster/service/NAME`: `/why137 ecs:prod/service/api`',
  '• `docker:[host/]container`: `/why137 docker:build-01/worker-3`',
  '• `lambda:[region/]function[:qualifier]` (or the function ARN): `/why137 lambda:eu-west-1/resize-image`',
  '• `host:NAME`: `/why137 host:ip-10-0-3-117`',
  '`/why137 help` shows this.',
].join('\n');

/** `/why137 help` (or nothing): usage with an example per target form, answered ephemerally in the ack. */
export function usageMessage(): SlackMessage {
  return {
    text: 'Usage: /why137 <k8s:ns/pod | ecs:cluster/task | docker:container | lambda:function | help>',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: TEXT } }],
  };
}
