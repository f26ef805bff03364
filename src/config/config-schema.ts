import { z } from 'zod';

/**
 * The config file (YAML, `--config` or WHY137_CONFIG). No secret is ever inline: keys and tokens are
 * named by file path or env var, and read at use.
 */
export const sshHostSchema = z.object({
  /** Node or host name this entry serves; `*` wildcards allowed (`ip-10-0-*`). */
  match: z.string().min(1),
  /** Address to connect to; defaults to the matched name. */
  host: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/i, 'a POSIX user name'),
  /** Private key: a file path, or the name of an env var holding the key. Exactly one. */
  privateKeyFile: z.string().optional(),
  privateKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  /** known_hosts file for this host (falls back to ssh.knownHosts). Unknown host keys are refused. */
  knownHosts: z.string().optional(),
}).strict().refine((h) => (h.privateKeyFile ? 1 : 0) + (h.privateKeyEnv ? 1 : 0) === 1, { message: 'set exactly one of privateKeyFile or privateKeyEnv' });

export const dockerHostSchema = z.object({
  /** unix:///var/run/docker.sock, ssh://user@host, tcp://host:2376 */
  url: z.string().regex(/^(unix|ssh|tcp|https?):\/\//, 'unix://, ssh:// or tcp:// URL'),
  tls: z.object({ ca: z.string(), cert: z.string(), key: z.string(), verify: z.boolean().default(true) }).strict().optional(),
  /** For ssh:// hosts: private key file and known_hosts. */
  privateKeyFile: z.string().optional(),
  knownHosts: z.string().optional(),
}).strict();

export const configSchema = z.object({
  kubernetes: z.object({
    kubeconfig: z.string().optional(),
    /** Contexts a target may name; empty = any in the kubeconfig. */
    contexts: z.array(z.string()).default([]),
    inCluster: z.boolean().default(false),
  }).strict().default({ contexts: [], inCluster: false }),
  aws: z.object({
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region like eu-west-1').optional(),
    profile: z.string().optional(),
    regions: z.array(z.string()).default([]),
  }).strict().default({ regions: [] }),
  docker: z.object({
    hosts: z.record(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/), dockerHostSchema).default({}),
  }).strict().default({ hosts: {} }),
  ssh: z.object({
    knownHosts: z.string().optional(),
    hosts: z.array(sshHostSchema).default([]),
    /** Cap on kernel-log bytes read per diagnosis. */
    maxOutputBytes: z.number().int().positive().default(8 * 1024 * 1024),
  }).strict().default({ hosts: [], maxOutputBytes: 8 * 1024 * 1024 }),
  runbooks: z.object({ dir: z.string().optional() }).strict().default({}),
  /** Minutes before/after the exit that logs are read for. */
  window: z.object({ beforeMinutes: z.number().positive().default(30), afterMinutes: z.number().positive().default(5) }).strict().default({ beforeMinutes: 30, afterMinutes: 5 }),
}).strict();

export type Config = z.infer<typeof configSchema>;
export type SshHostConfig = z.infer<typeof sshHostSchema>;
export type DockerHostConfig = z.infer<typeof dockerHostSchema>;
