import { regionFlag, type EcsRefs } from './ecs-refs.js';
import type { EnvEdit } from './runtime.js';
import { shellQuote } from './shell-quote.js';

// Fields `describe-task-definition` returns that `register-task-definition` rejects.
const READ_ONLY_FIELDS = 'del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities, .registeredAt, .registeredBy, .deregisteredAt)';

/** describe → jq edit → register → update-service; deployable when every name is known and a service runs it. */
export function taskDefinitionCommand(refs: EcsRefs, edits: string[]): { command: string; deployable: boolean } {
  const base = refs.family ? `${refs.family}${refs.revision ? `:${refs.revision}` : ''}` : 'FAMILY';
  const lines = [
    `aws ecs describe-task-definition --task-definition ${shellQuote(base)} --query taskDefinition --output json${regionFlag(refs)}`,
    `| jq '${[READ_ONLY_FIELDS, ...edits].join(' | ')}' > taskdef.json`,
    `&& aws ecs register-task-definition --cli-input-json file://taskdef.json${regionFlag(refs)}`,
  ];
  if (refs.service) lines.push(`&& aws ecs update-service --cluster ${shellQuote(refs.cluster ?? 'CLUSTER')} --service ${shellQuote(refs.service)} --task-definition ${shellQuote(refs.family ?? 'FAMILY')}${regionFlag(refs)}`);
  let command = lines.join(' \\\n  ');
  if (!refs.service) command += `\n# not run by a service: start new tasks with --task-definition ${refs.family ?? 'FAMILY'}`;
  const deployable = refs.family !== undefined && refs.container !== undefined && refs.service !== undefined && refs.cluster !== undefined;
  return { command, deployable };
}

/** A jq edit of one container's `environment`, merging a flag without printing the other flags. */
export function ecsEnvEdit(container: string, edit: EnvEdit): string {
  const name = JSON.stringify(edit.variable);
  const select = `(.containerDefinitions[] | select(.name == ${JSON.stringify(container)}) | .environment)`;
  if (edit.mode === 'value') {
    return `${select} |= (((. // []) | map(select(.name != ${name}))) + [{name: ${name}, value: ${JSON.stringify(edit.set)}}])`;
  }
  const strip = edit.remove.map((p) => ` | gsub(${JSON.stringify(p)}; "")`).join('');
  return `${select} |= ((. // []) as $e | ($e | map(select(.name == ${name}) | .value) | first // "") as $v`
    + ` | ($e | map(select(.name != ${name}))) + [{name: ${name}, value: ((${JSON.stringify(`${edit.set} `)} + ($v${strip})) | sub(" +$"; ""))}])`;
}
