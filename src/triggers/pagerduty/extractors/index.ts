import type { TargetExtractor } from './target-extractor.js';
import { alertmanagerLabels } from './alertmanager-labels.js';
import { cloudwatchAlarm } from './cloudwatch-alarm.js';
import { dockerLabels } from './docker-labels.js';
import { ecsTaskEvent } from './ecs-task-event.js';
import { titleWords } from './title-words.js';

/**
 * The built-in extractors, tried in this order after a service's own rules: the alert body's structured
 * data first (most precise), the title last. Add one: a file exporting a TargetExtractor, and a line here.
 */
export const builtinExtractors = {
  'alertmanager-labels': alertmanagerLabels,
  'ecs-task-event': ecsTaskEvent,
  'cloudwatch-alarm': cloudwatchAlarm,
  'docker-labels': dockerLabels,
  title: titleWords,
} satisfies Record<string, TargetExtractor>;
