import { ApiException, Observable, type ConfigurationOptions, type ObservableMiddleware } from '@kubernetes/client-node';
import { KubernetesApiError } from './kubernetes-api-error.js';

/**
 * Runs one client-node call with the step's AbortSignal and returns the object exactly as the API server sent
 * it: client-node's typed models drop apiVersion/kind on list items, turn times into Dates and drop fields they
 * do not know, while the parsers read `kubectl get -o json` output. An error status becomes a KubernetesApiError
 * (the HTTP status in `code`); an abort (the signal's reason) and fetch failures (`cause` ECONNRESET, ...) are
 * thrown as they are, for the runbook engine to classify.
 */
export async function kubeRead(signal: AbortSignal, call: (options: ConfigurationOptions) => Promise<unknown>): Promise<Record<string, unknown>> {
  signal.throwIfAborted();
  let text: string | undefined;
  const middleware: ObservableMiddleware = {
    pre: (request) => {
      request.setSignal(signal);
      return new Observable(Promise.resolve(request));
    },
    post: (response) => new Observable((async () => {
      const body = await response.body.text();
      text = body;
      // The body can be read once; hand client-node a copy so its own deserialisation and errors still work.
      response.body = { text: async () => body, binary: async () => Buffer.from(body), stream: () => null };
      return response;
    })()),
  };
  try {
    await call({ middleware: [middleware], middlewareMergeStrategy: 'append' });
  } catch (err) {
    if (err instanceof ApiException) throw new KubernetesApiError(err.code, err.body ?? text, err.headers);
    throw err;
  }
  const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`Kubernetes API answered with ${text === undefined ? 'no body' : 'a body that is not an object'}`);
  }
  return parsed as Record<string, unknown>;
}
