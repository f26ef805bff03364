import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Writes a synthetic kernel log of about `bytes`: realistic noise with a full cgroup-v2 OOM report every `every` lines. */
export async function writeKernelLog(path: string, bytes: number, every = 5000): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let n = 0;
  let t = 1000.0;
  const id = 'f'.repeat(64);
  while (written < bytes) {
    let chunk = '';
    for (let i = 0; i < 2000; i++, n++) {
      t += 0.0137;
      const ts = `[${t.toFixed(6).padStart(12)}]`;
      if (n % every === every - 1) {
        const pid = 10000 + (n % 50000);
        chunk += `${ts} node invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n`
          + `${ts} CPU: 1 PID: ${pid} Comm: node Not tainted 6.1.0-13-amd64 #1 Debian 6.1.55-1\n`
          + `${ts} memory: usage 32768kB, limit 32768kB, failcnt 1${n}\n`
          + `${ts} oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=docker-${id}.scope,mems_allowed=0,oom_memcg=/system.slice/docker-${id}.scope,task_memcg=/system.slice/docker-${id}.scope,task=node,pid=${pid},uid=0\n`
          + `${ts} Memory cgroup out of memory: Killed process ${pid} (node) total-vm:1123456kB, anon-rss:32000kB, file-rss:1024kB, shmem-rss:0kB, UID:0 pgtables:400kB oom_score_adj:0\n`;
      } else {
        chunk += `${ts} eth0: renamed from veth${(n % 9999).toString(16)}; audit: type=1400 audit(1700000000.${n % 1000}:${n}): apparmor="STATUS" operation="profile_load" name="docker-default" pid=${n % 65536}\n`;
      }
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}

/** Writes a synthetic Lambda log of about `bytes`: START/log/END/REPORT per invocation, a kill every `every` invocations. */
export async function writeLambdaLog(path: string, bytes: number, every = 2000): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let n = 0;
  let ms = Date.parse('2026-11-23T00:00:00Z');
  while (written < bytes) {
    let chunk = '';
    for (let i = 0; i < 500; i++, n++) {
      ms += 250;
      const iso = new Date(ms).toISOString();
      const rid = `${(n % 0xffffffff).toString(16).padStart(8, '0')}-1b2c-4d5e-8f90-${n.toString(16).padStart(12, '0')}`;
      const used = 200 + (n % 300);
      chunk += `START RequestId: ${rid} Version: $LATEST\n`
        + `${iso}\t${rid}\tINFO\tprocessing batch ${n} with 250 records from the orders stream\n`;
      if (n % every === every - 1) {
        chunk += `${iso}\t${rid}\tError: Runtime exited with error: signal: killed\nRuntime.ExitError\n`;
      }
      chunk += `END RequestId: ${rid}\n`
        + `REPORT RequestId: ${rid}\tDuration: 123.45 ms\tBilled Duration: 124 ms\tMemory Size: 512 MB\tMax Memory Used: ${used} MB\t\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return written;
}
