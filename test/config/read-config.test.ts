import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from '../../src/config/read-config.js';
import { Why137Error } from '../../src/errors/why137-error.js';

const dir = mkdtempSync(path.join(tmpdir(), 'why137-config-'));
let n = 0;
function file(text: string): string {
  const f = path.join(dir, `config-${++n}.yaml`);
  writeFileSync(f, text);
  return f;
}
function error(fn: () => unknown): Why137Error {
  try { fn(); } catch (e) { if (e instanceof Why137Error) return e; throw e; }
  throw new Error('expected a Why137Error');
}

const VALID = `
kubernetes:
  kubeconfig: kube/config
  contexts: [prod, admin@staging]
aws:
  region: eu-west-1
  regions: [eu-west-1, us-east-1]
docker:
  hosts:
    build-01: { url: "ssh://why137@build-01", privateKeyFile: ~/.ssh/why137 }
ssh:
  hosts:
    - match: "ip-10-0-*"
      user: why137
      privateKeyEnv: WHY137_SSH_KEY
runbooks:
  dir: ./my-runbooks
window: { beforeMinutes: 60 }
`;

describe('readConfig', () => {
  test('no file named and no why137.yaml: defaults', () => {
    const c = readConfig({}, undefined);
    expect(c.kubernetes).toEqual({ contexts: [], inCluster: false });
    expect(c.window).toEqual({ beforeMinutes: 30, afterMinutes: 5 });
    expect(c.ssh.maxOutputBytes).toBe(8 * 1024 * 1024);
  });

  test('a valid file: values, defaults filled, relative paths resolved against the file, ~ against HOME', () => {
    const f = file(VALID);
    const c = readConfig({ HOME: '/home/oncall' }, f);
    expect(c.kubernetes.contexts).toEqual(['prod', 'admin@staging']);
    expect(c.kubernetes.kubeconfig).toBe(path.join(dir, 'kube/config'));
    expect(c.runbooks.dir).toBe(path.join(dir, 'my-runbooks'));
    expect(c.docker.hosts['build-01']?.privateKeyFile).toBe('/home/oncall/.ssh/why137');
    expect(c.ssh.hosts[0]).toMatchObject({ match: 'ip-10-0-*', port: 22, privateKeyEnv: 'WHY137_SSH_KEY' });
    expect(c.window).toEqual({ beforeMinutes: 60, afterMinutes: 5 });
  });

  test('the file comes from the injected env (WHY137_CONFIG), never from process.env', () => {
    const f = file('aws: { region: ap-southeast-2 }\n');
    expect(readConfig({ WHY137_CONFIG: f }).aws.region).toBe('ap-southeast-2');
    // --config wins over WHY137_CONFIG.
    const g = file('aws: { region: sa-east-1 }\n');
    expect(readConfig({ WHY137_CONFIG: f }, g).aws.region).toBe('sa-east-1');
  });

  test('AWS_REGION / AWS_DEFAULT_REGION fill aws.region when the file has none; the file wins', () => {
    expect(readConfig({ AWS_REGION: 'eu-central-1' }).aws.region).toBe('eu-central-1');
    expect(readConfig({ AWS_DEFAULT_REGION: 'us-west-2' }).aws.region).toBe('us-west-2');
    expect(readConfig({ AWS_REGION: 'eu-central-1' }, file('aws: { region: eu-west-1 }\n')).aws.region).toBe('eu-west-1');
  });

  test('a malformed AWS_REGION is refused naming the variable', () => {
    const e = error(() => readConfig({ AWS_REGION: 'eu-west-1; rm -rf /' }));
    expect(e.code).toBe('why137_config_invalid');
    expect(e.message).toMatch(/^AWS_REGION="eu-west-1; rm -rf \/": expected an AWS region like eu-west-1$/);
  });

  test.each([
    ['a file named with --config that does not exist', () => readConfig({}, path.join(dir, 'nope.yaml')), /nope\.yaml: no such file; expected a readable YAML config file/],
    ['a WHY137_CONFIG that does not exist', () => readConfig({ WHY137_CONFIG: path.join(dir, 'gone.yaml') }), /gone\.yaml \(WHY137_CONFIG\): no such file/],
    ['a directory', () => readConfig({}, dir), /: is a directory/],
  ])('%s', (_name, fn, why) => {
    const e = error(fn);
    expect(e.code).toBe('why137_config_invalid');
    expect(e.message).toMatch(why);
  });

  test.each([
    ['bad YAML', 'aws:\n  region: [eu-west-1\n', /config-\d+\.yaml: line \d+: .*; expected YAML/],
    ['duplicate keys', 'aws: {}\naws: {}\n', /line \d+: .*[Mm]ap keys must be unique/],
    ['a list at the top', '- kubernetes\n', /top level is a list; expected a mapping/],
    ['a scalar at the top', 'hello\n', /top level is a string/],
    ['an unknown top-level key', 'slak: {}\n', /: slak: unknown key; expected only the keys shown in examples\/config\.yaml$/],
    ['an unknown nested key', 'kubernetes:\n  namespace: shop\n', /: kubernetes\.namespace: unknown key/],
    ['a wrong type', 'window: { beforeMinutes: soon }\n', /: window\.beforeMinutes: expected number, received string/],
    ['a negative window', 'window: { afterMinutes: -5 }\n', /: window\.afterMinutes: /],
    ['a bad region', 'aws: { region: europe }\n', /: aws\.region: expected an AWS region like eu-west-1/],
    ['a bad region in the list', 'aws: { regions: [eu-west-1, "eu west 2"] }\n', /: aws\.regions\[1\]: expected an AWS region/],
    ['a context with whitespace', 'kubernetes: { contexts: ["prod; id"] }\n', /: kubernetes\.contexts\[0\]: expected a kube context name/],
    ['a bad ssh user', 'ssh: { hosts: [{ match: n1, user: "root;id", privateKeyFile: k }] }\n', /: ssh\.hosts\[0\]\.user: expected a POSIX user name/],
    ['an ssh entry with two keys', 'ssh: { hosts: [{ match: n1, user: u, privateKeyFile: k, privateKeyEnv: K }] }\n', /: ssh\.hosts\[0\]: expected exactly one of privateKeyFile or privateKeyEnv$/],
    ['a bad docker url', 'docker: { hosts: { b: { url: "http//x" } } }\n', /: docker\.hosts\.b\.url: expected a unix:\/\/, ssh:\/\/ or tcp:\/\/ URL/],
    ['a bad port', 'ssh: { hosts: [{ match: n1, user: u, privateKeyFile: k, port: 70000 }] }\n', /: ssh\.hosts\[0\]\.port: /],
  ])('%s → one line naming the file and the field', (_name, text, why) => {
    const f = file(text);
    const e = error(() => readConfig({}, f));
    expect(e.code).toBe('why137_config_invalid');
    expect(e.message.startsWith(f)).toBe(true);
    expect(e.message).toMatch(why);
    expect(e.message).not.toContain('\n');
  });

  describe('secrets are never inline', () => {
    test.each([
      ['an inline private key', 'ssh: { hosts: [{ match: n1, user: u, privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" }] }\n', /ssh\.hosts\[0\]\.privateKey: unknown key; secrets are never inline/],
      ['a password', 'ssh: { hosts: [{ match: n1, user: u, privateKeyFile: k, password: hunter2 }] }\n', /ssh\.hosts\[0\]\.password: unknown key; secrets are never inline/],
      ['AWS keys', 'aws: { accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: x }\n', /aws\.accessKeyId: unknown key; secrets are never inline/],
      ['a token', 'kubernetes: { token: abc }\n', /kubernetes\.token: unknown key; secrets are never inline/],
      ['a PEM block where a path belongs', 'ssh: { hosts: [{ match: n1, user: u, privateKeyFile: "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Blbn\\n" }] }\n', /ssh\.hosts\[0\]\.privateKeyFile: expected a file path, not the key itself/],
      ['a key value where an env var name belongs', 'ssh: { hosts: [{ match: n1, user: u, privateKeyEnv: "b3BlbnNzaC1rZXktdjEAAAA=" }] }\n', /ssh\.hosts\[0\]\.privateKeyEnv: expected an environment variable name/],
      ['a password in a docker url', 'docker: { hosts: { b: { url: "tcp://admin:hunter2@b:2376" } } }\n', /docker\.hosts\.b\.url: expected a URL without a password/],
      ['a tls key inline', 'docker: { hosts: { b: { url: "tcp://b:2376", tls: { ca: ca.pem, cert: c.pem, key: "-----BEGIN RSA PRIVATE KEY-----" } } } }\n', /docker\.hosts\.b\.tls\.key: expected a file path/],
    ])('%s is refused', (_name, text, why) => {
      const e = error(() => readConfig({}, file(text)));
      expect(e.code).toBe('why137_config_invalid');
      expect(e.message).toMatch(why);
      expect(e.message).not.toMatch(/hunter2|AKIA|BEGIN/);
    });
  });

  test('examples/config.yaml is valid', () => {
    const examples = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../examples/config.yaml');
    mkdirSync(dir, { recursive: true });
    expect(() => readConfig({}, examples)).not.toThrow();
  });
});
