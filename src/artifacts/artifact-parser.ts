import type { Evidence } from '../diagnosis/evidence.js';

/** Every artifact kind why137 reads. The strings are public (`why137 explain --json` names them). */
export type ArtifactKind =
  | 'docker.inspect'
  | 'docker.events'
  | 'kubernetes.pod'
  | 'kubernetes.describe'
  | 'kubernetes.events'
  | 'kubernetes.node'
  | 'ecs.tasks'
  | 'ecs.task-definition'
  | 'kernel.log'
  | 'lambda.log'
  | 'logs.insights'
  | 'lambda.config'
  | 'container.log';

/**
 * A parser for a JSON or YAML artifact. `detect` sees the parsed document (after YAML/JSON parsing,
 * one document per YAML `---` section); `parse` turns it into evidence or throws ArtifactInvalidError.
 */
export interface StructuredParser {
  format: 'structured';
  kind: ArtifactKind;
  /** What this parser expects, for error messages ("`docker inspect` output"). */
  expected: string;
  detect(doc: unknown): boolean;
  parse(doc: unknown, file: string): Evidence[];
}

/**
 * A parser for a text log. `detect` sees the first 64 KiB; `parse` consumes the lines one at a
 * time so a 1 GB log is read in bounded memory. Parsers keep only evidence, never the lines.
 */
export interface TextParser {
  format: 'text';
  kind: ArtifactKind;
  expected: string;
  detect(head: string): boolean;
  parse(lines: AsyncIterable<string>, file: string): Promise<Evidence[]>;
}

export type ArtifactParser = StructuredParser | TextParser;
