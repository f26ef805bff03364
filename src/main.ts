#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';

// Wiring only: the CLI owns parsing, output and exit codes.
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
