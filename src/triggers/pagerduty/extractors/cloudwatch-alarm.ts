import type { TargetExtractor } from './target-extractor.js';
import { findObject } from './find-object.js';

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:([^:]+):\d{12}:alarm:/;

/**
 * CloudWatch alarm notifications (the SNS message PagerDuty's CloudWatch integration puts in the alert):
 * `Trigger.Dimensions` (or a metric-math alarm's `Trigger.Metrics[].MetricStat.Metric.Dimensions`) with
 * FunctionName (AWS/Lambda; a `Resource` of `fn:alias` adds the qualifier), or ClusterName with ServiceName
 * or TaskId (AWS/ECS, ECS/ContainerInsights). The region comes from AlarmArn.
 */
export const cloudwatchAlarm: TargetExtractor = (fields) => {
  const alarm = findObject(fields.customDetails, (o) => typeof o.Trigger === 'object' && o.Trigger !== null && ('AlarmName' in o || 'AlarmArn' in o));
  if (!alarm) return undefined;
  const region = ALARM_ARN.exec(typeof alarm.AlarmArn === 'string' ? alarm.AlarmArn : '')?.[1];
  const dims = dimensions(alarm.Trigger as Record<string, unknown>);
  const at = region !== undefined ? `${region}/` : '';
  const fn = dims.FunctionName;
  if (fn !== undefined) {
    const resource = dims.Resource;
    const qualifier = resource?.startsWith(`${fn}:`) ? resource.slice(fn.length + 1) : undefined;
    return `lambda:${at}${fn}${qualifier !== undefined ? `:${qualifier}` : ''}`;
  }
  if (dims.ClusterName !== undefined && dims.ServiceName !== undefined) return `ecs:${at}${dims.ClusterName}/service/${dims.ServiceName}`;
  if (dims.ClusterName !== undefined && dims.TaskId !== undefined) return `ecs:${at}${dims.ClusterName}/${dims.TaskId}`;
  const names = Object.keys(dims);
  return { error: `alarm ${JSON.stringify(String(alarm.AlarmName ?? '').slice(0, 80))} has dimensions ${names.length ? names.join(', ') : '(none)'}; expected FunctionName, or ClusterName with ServiceName or TaskId` };
};

/** Dimension name → value; the SNS message spells the keys `name`/`value`, the API `Name`/`Value`. */
function dimensions(trigger: Record<string, unknown>): Record<string, string> {
  const lists: unknown[] = [trigger.Dimensions];
  if (Array.isArray(trigger.Metrics)) {
    for (const m of trigger.Metrics) lists.push((m as { MetricStat?: { Metric?: { Dimensions?: unknown } } }).MetricStat?.Metric?.Dimensions);
  }
  const out: Record<string, string> = {};
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const d of list as Record<string, unknown>[]) {
      const name = d.name ?? d.Name;
      const value = d.value ?? d.Value;
      if (typeof name === 'string' && typeof value === 'string' && !(name in out)) out[name] = value;
    }
  }
  return out;
}
