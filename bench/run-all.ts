/**
 * Runs every benchmark one after another, each in its own process, with its default arguments
 * (the streaming parse bench at 100 MB only; pass `--sizes 100,1000` to parse-throughput for 1 GB).
 *
 *   npm run bench
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const benches: [string, string[]][] = [
  ['parse-throughput.js', ['--sizes', '100']],
  ['time-to-verdict.js', []],
  ['slack-ack.js', []],
  ['pagerduty-storm.js', []],
];

let failed = 0;
for (const [file, args] of benches) {
  process.stdout.write(`\n== ${file} ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [path.join(here, file), ...args], { stdio: 'inherit' });
  if (run.status !== 0) { failed++; process.stdout.write(`${file} exited ${run.status ?? run.signal}\n`); }
}
process.exitCode = failed === 0 ? 0 : 1;
