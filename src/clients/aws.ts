import { ECSClient } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Config } from '../config/config-schema.js';

/** Shows in CloudTrail's userAgent, so an audit can tell why137's reads from anyone else's. */
const USER_AGENT = 'why137';

interface StaticCredentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }

export interface AwsClients {
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  lambda: LambdaClient;
}

/**
 * The AWS clients for one region. Region: the target's, else `aws.region`, else the SDK's own chain
 * (AWS_REGION, the profile's region). Credentials: the SDK's default chain, with `aws.profile` as the
 * profile (credentials and region come from it). Endpoints are the SDK's own resolution:
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the active profile's `endpoint_url` / `services` section.
 *
 * NOTE: the SDK reads the endpoint variables, AWS_PROFILE and the config file paths from `process.env` at
 * the first request, whatever `env` says; and it looks up a profile's `endpoint_url` only for AWS_PROFILE
 * (or `default`), not for the `profile` client option (SDK v3 3.11xx, seen in getEndpointFromConfig).
 * `env` decides what the SDK cannot be told otherwise: static keys in it (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) are used when no profile is named, the same precedence as
 * the SDK's chain, so tests and embedders pass credentials without touching the process environment.
 */
export function createAwsClients(region: string | undefined, config: Config, env: NodeJS.ProcessEnv): AwsClients {
  const profile = config.aws.profile;
  const credentials = profile || env.AWS_PROFILE ? undefined : staticCredentials(env);
  const resolvedRegion = region ?? config.aws.region;
  const common = {
    customUserAgent: USER_AGENT,
    ...(resolvedRegion ? { region: resolvedRegion } : {}),
    ...(profile ? { profile } : {}),
    ...(credentials ? { credentials } : {}),
  };
  return { ecs: new ECSClient(common), logs: new CloudWatchLogsClient(common), lambda: new LambdaClient(common) };
}

function staticCredentials(env: NodeJS.ProcessEnv): StaticCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const expiration = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
  return {
    accessKeyId, secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration && !Number.isNaN(expiration.getTime()) ? { expiration } : {}),
  };
}
