import type { TargetExtractor } from './target-extractor.js';
import { collectLabels } from './collect-labels.js';

/**
 * Docker alerts (cAdvisor, a node exporter, a custom check) with labels `container` (or `container_name`)
 * and `host` (or `hostname`): `docker:HOST/CONTAINER`, the host being a docker.hosts entry. Skipped for
 * alerts about a pod, whose `container` label is the Kubernetes container.
 */
export const dockerLabels: TargetExtractor = (fields) => {
  const l = collectLabels(fields);
  if (l.pod !== undefined || l.namespace !== undefined) return undefined;
  const container = l.container ?? l.container_name;
  if (!container) return undefined;
  const host = l.host ?? l.hostname;
  return host ? `docker:${host}/${container}` : `docker:${container}`;
};
