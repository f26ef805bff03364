import { redact } from '../../util/redact.js';

const REDACTED = '<redacted>';

// The runtime-settings reader (src/util/runtime-settings.ts) needs a few memory flags from these variables;
// only tokens that are such a flag survive, everything else in the value is replaced.
const JVM_FLAG = /^-(?:Xm[xs]\d+(?:\.\d+)?[kKmMgGtT]?|XX:(?:MaxHeapSize|InitialHeapSize|MaxMetaspaceSize)=\d+[kKmMgGtT]?|XX:(?:Max|Initial|Min)RAMPercentage=\d+(?:\.\d+)?|XX:[+-]UseContainerSupport)$/;
const NODE_HEAP_FLAG = /^--max[-_](?:old|semi)[-_]space[-_]size(?:=\d+)?$/;
const WORKERS_FLAG = /^(?:-w|--workers)(?:=\d+)?$/;
const NUMBER = /^\d+$/;
const VERSION = /^v?\d+(?:\.\d+)*(?:[-+._][A-Za-z0-9.]+)?$/;
const GO_LIMIT = /^(?:off|\d+(?:\.\d+)?\s*(?:B|KiB|MiB|GiB|TiB)?)$/i;

/** Flag lists: a flag token keeps the number after it when the flag takes one as a separate word. */
const FLAG_LISTS: Record<string, RegExp> = {
  NODE_OPTIONS: NODE_HEAP_FLAG,
  JAVA_TOOL_OPTIONS: JVM_FLAG, JAVA_OPTS: JVM_FLAG, _JAVA_OPTIONS: JVM_FLAG, JDK_JAVA_OPTIONS: JVM_FLAG, JVM_OPTS: JVM_FLAG, CATALINA_OPTS: JVM_FLAG,
  GUNICORN_CMD_ARGS: WORKERS_FLAG,
};

/** Whole values that are a number, a size or a version and nothing else. */
const WHOLE_VALUES: Record<string, RegExp> = {
  GOMEMLIMIT: GO_LIMIT, GOGC: /^(?:off|\d+)$/i,
  WEB_CONCURRENCY: NUMBER, GUNICORN_WORKERS: NUMBER, WORKERS: NUMBER, UVICORN_WORKERS: NUMBER, CELERYD_CONCURRENCY: NUMBER, CELERY_WORKER_CONCURRENCY: NUMBER,
  NODE_VERSION: VERSION, JAVA_VERSION: VERSION, PYTHON_VERSION: VERSION, RUBY_VERSION: VERSION, GOLANG_VERSION: VERSION,
};

/**
 * An environment value as a saved artifact may show it: `<redacted>`, except the memory settings the
 * diagnosis reads (heap flags, GOMEMLIMIT, worker counts, runtime versions), which keep only those tokens.
 * Whatever survives still goes through the secret-pattern net.
 */
export function redactEnvValue(name: string, value: string): string {
  const whole = WHOLE_VALUES[name];
  if (whole) return whole.test(value.trim()) ? value : REDACTED;
  const flag = FLAG_LISTS[name];
  if (!flag) return REDACTED;
  const kept: string[] = [];
  const tokens = value.split(/\s+/).filter(Boolean);
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    const keep = flag.test(token) || (NUMBER.test(token) && previous !== undefined && flag.test(previous) && !previous.includes('='));
    if (keep) kept.push(token);
    else if (kept[kept.length - 1] !== REDACTED) kept.push(REDACTED);
  });
  return redact(kept.join(' '));
}
