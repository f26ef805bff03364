// The image's HEALTHCHECK: GET /healthz on this container's PORT with Node itself (the slim base has no curl).
// Exit 0 when the server answers 2xx within the timeout, 1 otherwise (Docker's healthy / unhealthy).
const TIMEOUT_MS = 4000; // under the HEALTHCHECK --timeout (5s), so a hung server is a clean exit 1, not a kill.
const port = process.env.PORT || '3000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  process.exitCode = res.ok ? 0 : 1;
  if (!res.ok) process.stderr.write(`GET /healthz answered ${res.status}\n`);
} catch (err) {
  process.stderr.write(`GET /healthz failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
