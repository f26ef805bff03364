import type { Change } from '../proposal.js';
import type { Edit } from '../edit.js';
import type { PlanContext } from './plan-context.js';
import type { PlatformPlanner } from './platform-planner.js';
import type { EnvEdit, RuntimeFix } from './runtime.js';
import { makeProposal } from './make-proposal.js';
import { withEdit } from './with-edit.js';
import { shellQuote } from './shell-quote.js';
import { LAMBDA_FULL_VCPU_MB, LAMBDA_MAX_MB, MIB, lambdaMb } from './sizing.js';

const VERSION_RISK = 'The change applies to $LATEST: an alias or caller pinned to a published version keeps the old configuration until a new version is published and the alias moved.';

/** Lambda: `aws lambda update-function-configuration`, memory in 1 MB steps, env merged through jq. */
export const lambda: PlatformPlanner = {
  round(ctx, needBytes) {
    const mb = lambdaMb(needBytes);
    const current = currentMb(ctx);
    return current !== undefined && mb <= current ? null : mb * MIB;
  },

  memory(ctx, intent) {
    if (intent.action === 'requests_equal_limits') return [];
    const fn = functionName(ctx);
    const before = currentMb(ctx);
    const after = intent.limitBytes / MIB;
    const needMb = Math.ceil(intent.needBytes / MIB);
    const why = [intent.why];
    const risk = [intent.risk];
    if (needMb > LAMBDA_MAX_MB) {
      why.push(`The need (${needMb} MB) is above Lambda's ${LAMBDA_MAX_MB.toLocaleString('en-US')} MB maximum: this is as far as it goes, so the function must also use less memory (stream instead of buffering, split the work).`);
    }
    if (before !== undefined && before < LAMBDA_FULL_VCPU_MB && after >= LAMBDA_FULL_VCPU_MB) {
      const ratio = after / before;
      why.push(`${after} MB crosses ${LAMBDA_FULL_VCPU_MB.toLocaleString('en-US')} MB, where a function gets one full vCPU: CPU share grows with memory (about ×${ratio.toFixed(1)} here${ratio >= 1.8 ? ', roughly double' : ''}), which helps multi-threaded work more than single-threaded code.`);
      risk.push(`Cost per millisecond rises about ×${ratio.toFixed(1)}, unless the extra CPU makes invocations finish sooner.`);
    } else if (before !== undefined) {
      risk.push(`Cost per millisecond rises about ×${(after / before).toFixed(1)} (Lambda bills per MB-second).`);
    }
    const changes: Change[] = [{ field: 'MemorySize', before: before === undefined ? null : String(before), after: String(after) }];
    for (const fix of intent.runtime) changes.push(...fix.changes);
    const edits = intent.runtime.filter((f) => f.edit).map((f) => f.edit!);
    for (const f of intent.runtime) if (f.manual) risk.push(`Not automatic: ${f.manual}.`);
    if (intent.runtime.length > 0) why.push('The runtime ceiling moves with it, to stay at its share of the new memory size.');
    return [makeProposal(ctx, {
      action: 'raise_lambda_memory',
      title: `Raise ${fn}'s memory to ${after} MB`,
      changes,
      why: why.join(' '),
      risk: [...risk, VERSION_RISK].join(' '),
      command: updateCommand(fn, `--memory-size ${after}`, edits, ctx.target.region),
      addresses: intent.addresses,
      ...withEdit(lambdaEdit(ctx, { memorySizeMb: after, ...envOf(intent.runtime) })),
    })];
  },

  runtime(ctx, fix: RuntimeFix) {
    const fn = functionName(ctx);
    return [makeProposal(ctx, {
      action: fix.action, title: fix.title, changes: fix.changes, why: fix.why, risk: `${fix.risk} ${VERSION_RISK}`,
      command: fix.edit ? updateCommand(fn, '', [fix.edit], ctx.target.region) : `# ${fix.manual}`,
      addresses: fix.addresses,
      ...withEdit(fix.env ? lambdaEdit(ctx, { env: [fix.env] }) : undefined),
    })];
  },

  grace: () => [],
  probe: () => [],
  headroom: () => [],
  exec: () => null,
};

type LambdaEdit = Extract<Edit, { platform: 'lambda' }>;

/** The edit of $LATEST's configuration, or undefined when the function's name is not in the evidence. */
function lambdaEdit(ctx: PlanContext, fields: Pick<LambdaEdit, 'memorySizeMb' | 'env'>): LambdaEdit | undefined {
  const fn = functionName(ctx);
  return fn === 'FUNCTION' ? undefined : { platform: 'lambda', ...(ctx.target.region !== undefined ? { region: ctx.target.region } : {}), functionName: fn, ...fields };
}

function envOf(fixes: readonly RuntimeFix[]): Pick<LambdaEdit, 'env'> {
  const env = fixes.flatMap((f) => (f.env ? [f.env] : []));
  return env.length > 0 ? { env } : {};
}

function currentMb(ctx: PlanContext): number | undefined {
  return ctx.limitBytes === undefined ? undefined : Math.round(ctx.limitBytes / MIB);
}

function functionName(ctx: PlanContext): string {
  return ctx.lambda?.functionName ?? ctx.target.functionName ?? 'FUNCTION';
}

/**
 * update-function-configuration. `--environment` replaces every variable, so env edits read the current
 * variables and change only the one flag in jq: no other value is printed or lost.
 */
function updateCommand(fn: string, options: string, edits: EnvEdit[], region?: string): string {
  const name = `${shellQuote(fn)}${region !== undefined ? ` --region ${shellQuote(region)}` : ''}`;
  if (edits.length === 0) return `aws lambda update-function-configuration --function-name ${name} ${options}`.trimEnd();
  const program = ['.Variables = (.Variables // {})', ...edits.map(envEdit)].join(' | ');
  return [
    `aws lambda get-function-configuration --function-name ${name} --query '{Variables: Environment.Variables}' --output json`,
    `| jq '${program}' > env.json`,
    `&& aws lambda update-function-configuration --function-name ${name}${options ? ` ${options}` : ''} --environment file://env.json`,
  ].join(' \\\n  ');
}

function envEdit(edit: EnvEdit): string {
  const key = `.Variables[${JSON.stringify(edit.variable)}]`;
  if (edit.mode === 'value') return `${key} = ${JSON.stringify(edit.set)}`;
  const strip = edit.remove.map((p) => ` | gsub(${JSON.stringify(p)}; "")`).join('');
  return `${key} = ((${JSON.stringify(`${edit.set} `)} + ((${key} // "")${strip})) | sub(" +$"; ""))`;
}
