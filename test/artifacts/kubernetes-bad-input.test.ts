import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readArtifact } from '../../src/artifacts/read-artifact.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { fixturePath } from '../helpers/fixture-path.js';
import { artifactFailure } from '../helpers/artifact-failure.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'why137-k8s-bad-'));
const fixture = (name: string) => readFileSync(fixturePath('kubernetes', name), 'utf8');

/** Cuts a YAML document a few lines into metadata.managedFields, as a paste cut off at a screen's end. */
const cutInManagedFields = (text: string) => {
  const lines = text.split('\n');
  return lines.slice(0, lines.findIndex((l) => l.includes('managedFields:')) + 6).join('\n') + '\n';
};
const halfOf = (text: string) => text.slice(0, Math.floor(text.length / 2));
// JSON with one colon lost; YAML with an unclosed flow sequence; describe output flattened by a paste.
const breakJson = (text: string) => text.replace('"kind": ', '"kind" ');
const breakYaml = (text: string) => text.replace(/^kind: (.*)$/m, 'kind: [$1');
const flatten = (text: string) => text.split('\n').map((l) => l.trimStart()).join('\n');

interface Input { parser: string; fixture: string; truncate: (t: string) => string; malform: (t: string) => string }
const inputs: Input[] = [
  { parser: 'kubernetes.pod', fixture: 'pod-oomkilled-crashloop.json', truncate: halfOf, malform: breakJson },
  { parser: 'kubernetes.pod', fixture: 'pod-java-xmx-equals-limit.yaml', truncate: cutInManagedFields, malform: breakYaml },
  { parser: 'kubernetes.describe', fixture: 'describe-oomkilled.txt', truncate: halfOf, malform: flatten },
  { parser: 'kubernetes.events', fixture: 'events-liveness-probe.json', truncate: halfOf, malform: breakJson },
  { parser: 'kubernetes.events', fixture: 'events-oomkilling-node.yaml', truncate: (t) => t.slice(0, t.indexOf('  kind: Event')), malform: breakYaml },
  { parser: 'kubernetes.node', fixture: 'node-memory-pressure.json', truncate: halfOf, malform: breakJson },
  { parser: 'kubernetes.node', fixture: 'node-healthy.yaml', truncate: cutInManagedFields, malform: breakYaml },
];

const failure = (name: string, content: string | Buffer): Promise<Why137Error> => artifactFailure(tmp, name, content);

describe('Kubernetes artifacts that cannot be read: a Why137Error with one line naming the file', () => {
  test.each(inputs)('$parser: $fixture, truncated', async ({ fixture: name, truncate }) => {
    const e = await failure(`truncated-${name}`, truncate(fixture(name)));
    expect(['why137_artifact_malformed', 'why137_artifact_invalid', 'why137_artifact_unrecognized']).toContain(e.code);
  });

  test.each(inputs)('$parser: $fixture, malformed', async ({ fixture: name, malform }) => {
    const broken = malform(fixture(name));
    expect(broken).not.toBe(fixture(name));
    const e = await failure(`malformed-${name}`, broken);
    expect(e.code).toBe(name.endsWith('.txt') ? 'why137_artifact_invalid' : 'why137_artifact_malformed');
  });

  test.each(inputs)('$parser: $fixture, empty', async ({ fixture: name }) => {
    expect((await failure(`empty-${name}`, '')).code).toBe('why137_artifact_empty');
    expect((await failure(`blank-${name}`, '\n  \n')).code).toBe('why137_artifact_empty');
  });

  test.each(inputs)('$parser: $fixture, binary', async ({ fixture: name }) => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
    expect((await failure(`binary-${name}`, bytes)).code).toBe('why137_artifact_binary');
    // A real file with a NUL in it (a gzip of the output, say) is binary too.
    expect((await failure(`nul-${name}`, Buffer.concat([Buffer.from(fixture(name).slice(0, 200)), Buffer.from([0, 1, 2])]))).code).toBe('why137_artifact_binary');
  });
});
