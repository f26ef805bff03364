import type { Explanation } from '../explanation.js';
import type { CitedFact } from '../../diagnosis/verdict.js';
import { redact } from '../../util/redact.js';
import { describeTarget } from '../describe-target.js';

const HEADLINE: Record<string, string> = {
  cgroup_oom: 'OOM-killed at its own memory limit',
  host_oom: 'killed because the host/node ran out of memory',
  eviction: 'evicted by the kubelet',
  lambda_oom: 'Lambda ran out of memory',
  stop_timeout: 'SIGKILLed after ignoring SIGTERM for the grace period',
  probe_failure: 'killed for failing its health check',
  external_sigkill: 'SIGKILLed from outside (not memory)',
  runtime_heap_limit: 'the runtime hit its own heap limit',
  unknown: 'not decided by this evidence',
};

/** Readable text for a terminal: headline, summary, evidence, factors, proposals, next steps. */
export function toText(x: Explanation): string {
  const v = x.verdict;
  const out: string[] = [];
  out.push(`${v.cause}: ${HEADLINE[v.cause] ?? ''} (confidence: ${v.confidence})`);
  out.push(`target: ${describeTarget(v.target)}${v.exitCode !== undefined ? `, exit code ${v.exitCode}` : ''}`);
  out.push('', v.summary);
  if (v.evidence.length) { out.push('', 'Evidence'); for (const e of v.evidence) out.push(...cite(e)); }
  if (v.factors.length) {
    out.push('', 'Factors');
    for (const f of v.factors) { out.push(`  - ${f.code}: ${f.summary}`); for (const e of f.evidence) out.push(...cite(e, '      ')); }
  }
  if (x.proposals.length) {
    out.push('', 'Proposals');
    x.proposals.forEach((p, i) => {
      out.push(`  ${i + 1}. ${p.title}  [${p.action}]`);
      for (const ch of p.changes) out.push(`       ${ch.field}: ${ch.before ?? '(unset)'} -> ${ch.after}`);
      out.push(`       why: ${p.why}`, `       risk: ${p.risk}`);
      if (p.command) out.push(`       $ ${p.command}`);
    });
  }
  if (v.next.length) { out.push('', 'Next'); for (const n of v.next) out.push(`  - ${n.why}:`, `      $ ${n.command}`); }
  if (v.setAside.length) { out.push('', 'Set aside (not about this target)'); for (const s of v.setAside) out.push(`  - ${s.why}`, `      ${s.cite.file} ${s.cite.at}`); }
  if (v.unavailable.length) { out.push('', 'Could not see'); for (const u of v.unavailable) out.push(`  - ${u.source}: ${u.detail}; missing ${u.missing}`); }
  out.push('', `inputs: ${x.inputs.map((i) => `${i.file} (${i.kind})`).join(', ')}`);
  return redact(out.join('\n')) + '\n';
}

function cite(e: CitedFact, indent = '  '): string[] {
  const lines = [`${indent}- ${e.claim}`, `${indent}    ${e.file} ${e.at}`];
  if (e.excerpt) lines.push(`${indent}    > ${e.excerpt}`);
  return lines;
}
