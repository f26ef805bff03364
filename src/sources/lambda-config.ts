import { GetFunctionConfigurationCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { defined } from '../artifacts/defined.js';
import type { Source } from './source.js';
import { AwsSourceError } from './aws/aws-source-error.js';
import { cliJson } from './aws/cli-json.js';
import { redactEnvValue } from './aws/redact-env-value.js';

const params = z.object({}).strict();

/**
 * `aws lambda get-function-configuration --function-name F [--qualifier Q]` → `lambda-config.json`, with
 * every Environment.Variables value redacted (memory settings such as NODE_OPTIONS' heap flag kept), so
 * --save-artifacts never writes a secret. Facts: functionName, functionArn, memorySize, runtime, logGroup
 * (LoggingConfig.LogGroup, else /aws/lambda/NAME). Values never reach facts, logs or errors.
 */
export const lambdaConfigSource: Source<z.infer<typeof params>> = {
  name: 'lambda-config',
  reads: 'the function configuration (lambda:GetFunctionConfiguration): MemorySize, runtime, log group, environment variable names',
  params,
  async collect({ target, clients, signal }) {
    if (target.kind !== 'lambda') throw new AwsSourceError('why137_runbook_invalid', 'invalid', `lambda-config reads a lambda: target, not ${target.kind}`);
    const response = await clients.lambda(target.region).send(
      new GetFunctionConfigurationCommand({ FunctionName: target.functionName, ...(target.qualifier ? { Qualifier: target.qualifier } : {}) }),
      { abortSignal: signal },
    );
    const functionName = response.FunctionName ?? target.functionName;
    return {
      artifacts: [{ name: 'lambda-config.json', content: cliJson(redactEnvironment(response)) }],
      facts: defined({
        functionName, functionArn: response.FunctionArn, memorySize: response.MemorySize, runtime: response.Runtime,
        logGroup: response.LoggingConfig?.LogGroup ?? `/aws/lambda/${functionName}`,
      }),
      calls: 1,
    };
  },
};

function redactEnvironment<T extends FunctionConfiguration>(config: T): T {
  const vars = config.Environment?.Variables;
  if (!vars) return config;
  return {
    ...config,
    Environment: { ...config.Environment, Variables: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, redactEnvValue(name, value)])) },
  };
}
