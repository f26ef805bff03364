/**
 * Streaming parse benchmark: generates kernel and Lambda logs of 100 MB and 1 GB and reads each with the
 * real artifact loader in a child process, reporting throughput (MB/s) and the child's peak RSS.
 *
 *   npm run build && node dist/bench/parse-throughput.js [--sizes 100,1000] [--dir /tmp/why137-bench]
 *
 * Targets (issue #2): peak RSS under 200 MB and at least 50 MB/s.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeKernelLog, writeLambdaLog } from './generate-logs.js';

const MB = 1_000_000;

async function child(file: string): Promise<void> {
  const { readArtifact } = await import('../src/artifacts/read-artifact.js');
  const start = process.hrtime.bigint();
  const result = await readArtifact(file);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const bytes = statSync(file).size;
  process.stdout.write(JSON.stringify({ kind: result.kind, evidence: result.evidence.length, bytes, ms, maxRssKb: process.resourceUsage().maxRSS }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100,1000' }, dir: { type: 'string', default: '/tmp/why137-bench' }, child: { type: 'string' } } });
  if (values.child) return child(values.child);
  mkdirSync(values.dir!, { recursive: true });
  const self = fileURLToPath(import.meta.url);
  const rows: string[] = [];
  for (const size of values.sizes!.split(',').map(Number)) {
    for (const [name, gen] of [['kernel', writeKernelLog], ['lambda', writeLambdaLog]] as const) {
      const file = path.join(values.dir!, `${name}-${size}MB.log`);
      if (!existsSync(file) || statSync(file).size < size * MB) await gen(file, size * MB);
      const run = spawnSync(process.execPath, [self, '--child', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (run.status !== 0) throw new Error(`child failed for ${file}: ${run.stderr}`);
      const r = JSON.parse(run.stdout) as { kind: string; evidence: number; bytes: number; ms: number; maxRssKb: number };
      const mbps = r.bytes / MB / (r.ms / 1000);
      rows.push(`${name.padEnd(7)} ${String(size).padStart(5)} MB  ${r.kind.padEnd(11)} ${String(r.evidence).padStart(8)} evidence  ${mbps.toFixed(1).padStart(7)} MB/s  peak RSS ${(r.maxRssKb / 1024).toFixed(0).padStart(4)} MiB`);
      process.stdout.write(`${rows[rows.length - 1]}\n`);
    }
  }
}

await main();
