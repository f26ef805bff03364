/** One kind of name a target (or a fact a source hands on) may carry, and how to say what it expects. */
export interface NameRule {
  test(value: string): boolean;
  expected: string;
}

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const RFC1123_LABEL = /^[A-Za-z0-9](?:[-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

const dnsSubdomain = (v: string): boolean => v.length <= 253 && v.split('.').every((l) => DNS_LABEL.test(l));

/**
 * Every name a target may carry, checked before it reaches an API call or an SSH command. The patterns
 * are the platforms' own, so nothing valid is refused and nothing with a shell metacharacter, a
 * slash, whitespace or `..` gets through.
 */
export const nameRules = {
  /** Namespaces and container names are DNS-1123 labels (Kubernetes validation.IsDNS1123Label). */
  dnsLabel: { test: (v) => DNS_LABEL.test(v), expected: 'a DNS-1123 label (lower-case a-z, 0-9 and -, at most 63)' },
  /** Pod and workload names are DNS-1123 subdomains (validation.IsDNS1123Subdomain). */
  dnsSubdomain: { test: dnsSubdomain, expected: 'a DNS-1123 subdomain (lower-case a-z, 0-9, - and ., at most 253)' },
  // NOTE: kubeconfig allows any string as a context name; EKS contexts are ARNs with a `/`, which the
  // target syntax cannot carry (rename the context: `kubectl config rename-context`).
  kubeContext: { test: (v) => /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,252}$/.test(v), expected: 'a kube context name (A-Z, a-z, 0-9, . _ : @ -, no whitespace or /)' },
  awsRegion: { test: (v) => /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(v), expected: 'an AWS region like eu-west-1' },
  awsAccount: { test: (v) => /^\d{12}$/.test(v), expected: 'a 12-digit AWS account id' },
  /** ECS cluster and service names: up to 255 letters, numbers, hyphens and underscores (CreateCluster). */
  ecsName: { test: (v) => /^[A-Za-z0-9_-]{1,255}$/.test(v), expected: 'an ECS name (A-Z, a-z, 0-9, _ and -, at most 255)' },
  /** Task ids are 32 hex digits; tasks from before 2018 have UUIDs. */
  ecsTaskId: { test: (v) => /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(v), expected: 'an ECS task id (32 hex digits, or a UUID)' },
  /** Docker's own rule for container names (daemon/names.RestrictedNamePattern), which also admits hex ids. */
  dockerContainer: { test: (v) => v.length <= 253 && /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v), expected: 'a docker container name ([a-zA-Z0-9][a-zA-Z0-9_.-]*) or id (12-64 hex)' },
  dockerHost: { test: (v) => v.length <= 253 && /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v), expected: 'a docker host name from docker.hosts ([a-zA-Z0-9][a-zA-Z0-9_.-]*)' },
  lambdaName: { test: (v) => /^[A-Za-z0-9_-]{1,64}$/.test(v), expected: 'a Lambda function name (1-64 of A-Z, a-z, 0-9, _ and -)' },
  lambdaQualifier: { test: (v) => v === '$LATEST' || /^[A-Za-z0-9_-]{1,128}$/.test(v), expected: 'a Lambda qualifier ($LATEST, a version number or an alias)' },
  /** RFC 1123 host names: dot-separated labels, letters, digits and hyphens, at most 253. */
  hostName: { test: (v) => v.length <= 253 && v.split('.').every((l) => RFC1123_LABEL.test(l)), expected: 'an RFC 1123 host name (letters, digits, - and ., at most 253)' },
} satisfies Record<string, NameRule>;
