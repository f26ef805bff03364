#!/usr/bin/env node
// Wiring only: the CLI owns parsing, output and exit codes.

// NOTE: @kubernetes/client-node 2 pulls in undici 8, which crashes on load before Node 22.19; say so in one line instead.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`why137: Node ${process.versions.node} is too old; expected Node 24 LTS (run: export PATH="$(bash scripts/ensure-node.sh):$PATH") (why137_usage)\n`);
  process.exit(2);
}
const { runCli } = await import('./cli/run-cli.js');
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
