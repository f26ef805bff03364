import { z } from 'zod';
import { nameRules } from '../targets/name-rules.js';
import { pagerdutyConfigSchema } from '../triggers/pagerduty/pagerduty-config-schema.js';
import type { PagerDutyEnv } from '../triggers/pagerduty/pagerduty-env.js';

/**
 * The config file (YAML, `--config` or WHY137_CONFIG). No secret is ever inline: keys and tokens are
 * named by file path or env var, and read at use. Every object is strict, so a pasted `password:` or
 * `privateKey:` is an unknown key, not a silently kept secret.
 */

// A PEM block pasted where a path belongs is a secret inline: refuse it, and say where it should go.
const filePath = z.string().min(1).refine((v) => !/[\n\r]/.test(v) && !v.includes('-----BEGIN'), 'a file path, not the key itself (secrets are never inline)');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');
const rule = (r: { test(v: string): boolean; expected: string }) => z.string().refine((v) => r.test(v), r.expected);

export const sshHostSchema = z.object({
  /** Node or host name this entry serves; `*` and `?` wildcards allowed (`ip-10-0-*`), as in ssh_config. */
  match: z.string().regex(/^[A-Za-z0-9*?][A-Za-z0-9*?.-]*$/, 'a host name pattern (letters, digits, -, . and * or ? wildcards)'),
  /** Address to connect to; defaults to the matched name. */
  host: rule(nameRules.hostName).optional(),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/i, 'a POSIX user name'),
  /** Private key: a file path, or the name of an env var holding the key. Exactly one. */
  privateKeyFile: filePath.optional(),
  privateKeyEnv: envName.optional(),
  /** known_hosts file for this host (falls back to ssh.knownHosts). Unknown host keys are refused. */
  knownHosts: filePath.optional(),
}).strict().refine((h) => (h.privateKeyFile ? 1 : 0) + (h.privateKeyEnv ? 1 : 0) === 1, { message: 'exactly one of privateKeyFile or privateKeyEnv' });

export const dockerHostSchema = z.object({
  /** unix:///var/run/docker.sock, ssh://user@host, tcp://host:2376 */
  url: z.string().regex(/^(unix|ssh|tcp|https?):\/\/\S+$/, 'a unix://, ssh:// or tcp:// URL').refine((u) => !/^[a-z]+:\/\/[^/@\s]*:[^/@\s]*@/.test(u), 'a URL without a password (secrets are never inline)'),
  tls: z.object({ ca: filePath, cert: filePath, key: filePath, verify: z.boolean().default(true) }).strict().optional(),
  /** For ssh:// hosts: private key file and known_hosts. */
  privateKeyFile: filePath.optional(),
  knownHosts: filePath.optional(),
}).strict();

export const approverSchema = z.object({
  // Glob over the normalised target (k8s:prod-*/*, docker:**): * and ? stay inside one /-segment, ** crosses them.
  match: z.string().regex(/^[A-Za-z0-9*?:@._/-]+$/, 'a target glob such as k8s:prod-*/* or docker:** (letters, digits, : @ . _ / - and * ** ? wildcards)'),
  /** Slack user ids (U…/W…: the member id from a profile's ⋮ menu, not the display name). */
  users: z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack member id such as U0123ABCD (profile → ⋮ → Copy member ID)')).default([]),
  /** Slack user group ids (S…), checked with usergroups.users.list. */
  groups: z.array(z.string().regex(/^S[A-Z0-9]{2,}$/, 'a Slack user group id such as S0123ABCD')).default([]),
}).strict().refine((a) => a.users.length + a.groups.length > 0, { message: 'at least one of users or groups' });

export const configSchema = z.object({
  kubernetes: z.object({
    kubeconfig: filePath.optional(),
    /** Contexts a target may name; empty = any in the kubeconfig. `config check` probes each (or the current one). */
    contexts: z.array(rule(nameRules.kubeContext)).default([]),
    inCluster: z.boolean().default(false),
  }).strict().default({ contexts: [], inCluster: false }),
  aws: z.object({
    /** Default region for targets that name none. */
    region: rule(nameRules.awsRegion).optional(),
    /** A profile from ~/.aws/config; credentials come from the SDK's chain, never from this file. */
    profile: z.string().regex(/^[A-Za-z0-9_.+=,@-]+$/, 'an AWS profile name').optional(),
    /** Regions a target may name; empty = any. `config check` probes each (or the default). */
    regions: z.array(rule(nameRules.awsRegion)).default([]),
  }).strict().default({ regions: [] }),
  docker: z.object({
    /** Named engines a `docker:HOST/container` target may use; `docker:container` uses the local socket. */
    hosts: z.record(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a docker host name'), dockerHostSchema).default({}),
  }).strict().default({ hosts: {} }),
  ssh: z.object({
    knownHosts: filePath.optional(),
    hosts: z.array(sshHostSchema).default([]),
    /** Cap on kernel-log bytes read per diagnosis. */
    maxOutputBytes: z.number().int().positive().default(8 * 1024 * 1024),
  }).strict().default({ hosts: [], maxOutputBytes: 8 * 1024 * 1024 }),
  /** Extra runbooks (a runbook with a built-in's `name` replaces it). */
  runbooks: z.object({ dir: filePath.optional() }).strict().default({}),
  /** Minutes before/after the exit that logs are read for. */
  window: z.object({ beforeMinutes: z.number().positive().default(30), afterMinutes: z.number().positive().default(5) }).strict().default({ beforeMinutes: 30, afterMinutes: 5 }),
  /** PagerDuty webhooks (`why137 serve`): service → channel, target extraction rules, storm folding (src/triggers/pagerduty). */
  pagerduty: pagerdutyConfigSchema.prefault({}),
  /** The Slack bot (`why137 serve`): who may approve, the two-person rule, how long a proposal stays open. */
  slack: z.object({
    /** Every entry whose `match` covers the target adds its users and groups; no matching entry = nobody may approve. */
    approvers: z.array(approverSchema).default([]),
    /** The person who ran /why137 cannot approve the proposals it made. */
    twoPersonRule: z.boolean().default(false),
    /** Minutes a proposal's button stays valid (a week at most: the target drifts, the snapshot goes stale). */
    proposalTtlMinutes: z.number().int().positive().max(7 * 24 * 60).default(60),
    /** Retries of a Web API call that failed (5xx, network); a 429 waits out its Retry-After and counts as one. */
    apiRetries: z.number().int().min(0).max(10).default(4),
  }).strict().default({ approvers: [], twoPersonRule: false, proposalTtlMinutes: 60, apiRetries: 4 }),
  /** The SQLite file holding incidents, proposals and audit; relative to WHY137_DATA_DIR when set. */
  store: z.object({ path: z.string().default('why137.sqlite') }).strict().default({ path: 'why137.sqlite' }),
}).strict();

/**
 * `why137 serve` settings from the environment, never from the file (tokens are secrets): readConfig copies
 * them as they are, and the server checks them at start-up (src/server/serve-settings.ts).
 */
export interface ServeEnv {
  botToken?: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  port?: string;
  logLevel?: string;
}

/** The config file's settings, plus `serve` (non-enumerable, so the tokens never reach a log or JSON dump). */
export type Config = z.infer<typeof configSchema> & { readonly serve?: ServeEnv; readonly pagerdutyEnv?: PagerDutyEnv };
export type ApproverRule = z.infer<typeof approverSchema>;
export type SshHostConfig = z.infer<typeof sshHostSchema>;
export type DockerHostConfig = z.infer<typeof dockerHostSchema>;
