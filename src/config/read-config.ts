import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config, type ServeEnv } from './config-schema.js';
import { nameRules } from '../targets/name-rules.js';
import { Why137Error } from '../errors/why137-error.js';
import type { PagerDutyEnv } from '../triggers/pagerduty/pagerduty-env.js';

/** Read when neither --config nor WHY137_CONFIG names a file; its absence means defaults. */
const DEFAULT_FILE = 'why137.yaml';
const SECRETISH = /pass|secret|token|credential|private_?key$|^key$|apikey|access_?key/i;

/**
 * The one place configuration is read: the YAML file named by `file` (from `--config`), else
 * WHY137_CONFIG, else ./why137.yaml if it exists; AWS_REGION/AWS_DEFAULT_REGION fill `aws.region`.
 * SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL, PORT and WHY137_LOG_LEVEL are copied
 * into `serve` unchecked (`why137 serve` checks them); PAGERDUTY_* into `pagerdutyEnv`. Relative paths in the file are resolved against the file's directory. Throws why137_config_invalid
 * with one line naming the file (or variable), the field and what was expected.
 */
export function readConfig(env: Record<string, string | undefined> = process.env, file?: string): Config {
  const named = file ?? (env.WHY137_CONFIG ? env.WHY137_CONFIG : undefined);
  const source = file !== undefined ? file : named !== undefined ? `${named} (WHY137_CONFIG)` : DEFAULT_FILE;
  const configPath = named ?? DEFAULT_FILE;
  const raw = parseYaml(configPath, source, loadText(configPath, source, named !== undefined));

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new Why137Error('why137_config_invalid', `${source}: ${describeIssue(parsed.error.issues)}`);
  const config = parsed.data;

  const envRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (config.aws.region === undefined && envRegion) {
    const name = env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    if (!nameRules.awsRegion.test(envRegion)) throw new Why137Error('why137_config_invalid', `${name}=${JSON.stringify(envRegion.slice(0, 40))}: expected ${nameRules.awsRegion.expected}`);
    config.aws.region = envRegion;
  }
  const inFile = (raw as { store?: { path?: unknown } }).store?.path !== undefined;
  config.store.path = storePath(config.store.path, inFile, path.dirname(path.resolve(configPath)), env);
  const serve: ServeEnv = {
    botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, appToken: env.SLACK_APP_TOKEN,
    apiUrl: env.SLACK_API_URL, port: env.PORT, logLevel: env.WHY137_LOG_LEVEL,
  };
  // Not enumerable: a config printed or serialised never carries the Slack tokens.
  Object.defineProperty(config, 'serve', { value: serve, enumerable: false });
  Object.defineProperty(config, 'pagerdutyEnv', { value: pagerdutyEnv(env), enumerable: false });
  return resolvePaths(config, path.dirname(path.resolve(configPath)), env.HOME);
}

/**
 * PAGERDUTY_WEBHOOK_SECRET (comma-separated: several are accepted during a rotation) and
 * PAGERDUTY_WEBHOOK_SECRET_PREVIOUS, PAGERDUTY_API_TOKEN, PAGERDUTY_API_URL and PAGERDUTY_FROM_EMAIL,
 * copied unchecked (the PagerDuty trigger checks them when `why137 serve` starts).
 */
function pagerdutyEnv(env: Record<string, string | undefined>): PagerDutyEnv {
  const secrets = [env.PAGERDUTY_WEBHOOK_SECRET, env.PAGERDUTY_WEBHOOK_SECRET_PREVIOUS]
    .flatMap((v) => (v ?? '').split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return {
    webhookSecrets: [...new Set(secrets)], apiToken: env.PAGERDUTY_API_TOKEN || undefined,
    apiUrl: env.PAGERDUTY_API_URL || undefined, fromEmail: env.PAGERDUTY_FROM_EMAIL || undefined,
  };
}

/**
 * A relative store path lives under WHY137_DATA_DIR when that is set (a container's volume); otherwise
 * beside the config file when the file names it, else in the working directory (./why137.sqlite).
 */
function storePath(p: string, inFile: boolean, base: string, env: Record<string, string | undefined>): string {
  const expanded = env.HOME && (p === '~' || p.startsWith('~/')) ? path.join(env.HOME, p.slice(1)) : p;
  if (path.isAbsolute(expanded)) return expanded;
  if (env.WHY137_DATA_DIR) return path.resolve(env.WHY137_DATA_DIR, expanded);
  return inFile ? path.resolve(base, expanded) : path.resolve(expanded);
}

function loadText(configPath: string, source: string, explicit: boolean): string {
  try {
    return readFileSync(configPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return '';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? 'error'})`;
    throw new Why137Error('why137_config_invalid', `${source}: ${why}; expected a readable YAML config file (see examples/config.yaml)`, { cause: err });
  }
}

function parseYaml(configPath: string, source: string, text: string): unknown {
  if (text.trim() === '') return {};
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const message = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new Why137Error('why137_config_invalid', `${source}: ${line ? `line ${line}: ` : ''}${message}; expected YAML (see examples/config.yaml)`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 50 });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Why137Error('why137_config_invalid', `${source}: top level is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}; expected a mapping with kubernetes, aws, docker, ssh, runbooks, window, store or slack (${path.basename(configPath)})`);
  }
  // A section left empty (`runbooks:` with only comments under it) means its defaults.
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid; expected the shape of examples/config.yaml';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const field = at ? `${at}.${key}` : key;
    const hint = SECRETISH.test(key) ? '; secrets are never inline: name a file (privateKeyFile) or an environment variable (privateKeyEnv)' : '';
    return `${field}: unknown key${hint}; expected only the keys shown in examples/config.yaml${more}`;
  }
  const message = issue.message.replace(/^Invalid [a-z ]*: /i, '');
  return `${at || '(top level)'}: ${message.startsWith('expected') ? message : `expected ${message}`}${more}`;
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

function resolvePaths(config: Config, base: string, home: string | undefined): Config {
  const abs = <T extends string | undefined>(p: T): T => {
    if (p === undefined) return p;
    const expanded = home && (p === '~' || p.startsWith('~/')) ? path.join(home, p.slice(1)) : p;
    return path.resolve(base, expanded) as T;
  };
  config.kubernetes.kubeconfig = abs(config.kubernetes.kubeconfig);
  config.ssh.knownHosts = abs(config.ssh.knownHosts);
  for (const h of config.ssh.hosts) { h.privateKeyFile = abs(h.privateKeyFile); h.knownHosts = abs(h.knownHosts); }
  for (const h of Object.values(config.docker.hosts)) {
    h.privateKeyFile = abs(h.privateKeyFile);
    h.knownHosts = abs(h.knownHosts);
    if (h.tls) { h.tls.ca = abs(h.tls.ca); h.tls.cert = abs(h.tls.cert); h.tls.key = abs(h.tls.key); }
  }
  config.runbooks.dir = abs(config.runbooks.dir);
  return config;
}
