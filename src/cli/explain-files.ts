import type { Readable } from 'node:stream';
import { readArtifact } from '../artifacts/read-artifact.js';
import { diagnose } from '../diagnosis/diagnose.js';
import { plan } from '../remediation/plan.js';
import type { Explanation } from '../surfaces/explanation.js';
import type { Evidence } from '../diagnosis/evidence.js';
import { Why137Error } from '../errors/why137-error.js';
import type { TargetPlace } from '../targets/target-place.js';

/** Reads every input, joins the evidence, diagnoses and plans: the path `why137 explain` and the live runbooks share. */
export async function explainFiles(files: string[], stdin?: Readable): Promise<Explanation> {
  if (files.filter((f) => f === '-').length > 1) throw new Why137Error('why137_usage', '-: standard input can be given once; expected at most one -');
  const inputs: Explanation['inputs'] = [];
  const evidence: Evidence[] = [];
  for (const file of files) {
    const result = await readArtifact(file, stdin);
    inputs.push({ file, kind: result.kind });
    evidence.push(...result.evidence);
  }
  return explainEvidence(evidence, inputs);
}

/**
 * Diagnoses and plans already-parsed evidence. A live diagnosis passes where it read the target (the
 * kube context, the region its name gave): evidence does not carry it, and the proposals' edits and
 * commands must go there, not to the defaults.
 */
export function explainEvidence(evidence: Evidence[], inputs: Explanation['inputs'], place: TargetPlace = {}): Explanation {
  const diagnosed = diagnose(evidence);
  const verdict = place.context === undefined && place.region === undefined ? diagnosed : { ...diagnosed, target: { ...diagnosed.target, ...place } };
  return { verdict, proposals: plan(verdict, evidence), inputs };
}
