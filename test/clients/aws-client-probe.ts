import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { createAwsClients } from '../../src/clients/aws.js';
import { configSchema } from '../../src/config/config-schema.js';

/**
 * Run as a child process by aws.test.ts: `node aws-client-probe.js '{"region":..,"config":{..}}'`. The SDK reads
 * endpoint variables, AWS_PROFILE and the config file paths from the process environment, so a test that sets
 * them runs them here, in a process of its own, instead of changing its own environment. Prints JSON: the
 * resolved region and each client's outcome.
 */
export async function probe(arg: string): Promise<Record<string, string>> {
  const input = JSON.parse(arg) as { region?: string; config?: unknown };
  const clients = createAwsClients(input.region, configSchema.parse(input.config ?? {}), process.env);
  const out: Record<string, string> = { region: await clients.ecs.config.region() };
  const attempt = async (name: string, call: () => Promise<unknown>) => {
    try { await call(); out[name] = 'ok'; } catch (err) { out[name] = `${(err as Error).name}: ${(err as Error).message.split('\n')[0]}`; }
  };
  await attempt('ecs', () => clients.ecs.send(new ListClustersCommand({})));
  await attempt('logs', () => clients.logs.send(new DescribeLogGroupsCommand({})));
  await attempt('lambda', () => clients.lambda.send(new ListFunctionsCommand({})));
  return out;
}

if (process.argv[2] !== undefined) process.stdout.write(JSON.stringify(await probe(process.argv[2])));
