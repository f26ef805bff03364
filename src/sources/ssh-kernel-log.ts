import { z } from 'zod';
import type { CollectContext, RawArtifact, Source } from './source.js';
import type { SshExecutor } from '../clients/clients.js';
import { RemoteAccessError } from '../clients/remote-access-error.js';
import { Why137Error } from '../errors/why137-error.js';
import { kernelLogHost } from './ssh/kernel-log-host.js';
import { dmesgInWindow } from './ssh/dmesg-in-window.js';
import { journalctlSince } from './ssh/journalctl-since.js';

const params = z.object({
  /** Bytes of kernel log read at most; ssh.maxOutputBytes caps it again in the executor. */
  maxOutputBytes: z.number().int().positive().optional(),
}).strict();

// The config's default for ssh.maxOutputBytes: a kernel ring buffer (log_buf_len) is far smaller.
const DEFAULT_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
// Fixed commands only: nothing from the target or the user reaches the remote shell. English month names and
// UTC times, so `[Mon Nov 23 13:38:55 2026]` means the same on every host and to the parser.
const DMESG = 'env LC_ALL=C TZ=UTC dmesg -T';
// dmesg's own words for kernel.dmesg_restrict=1 without CAP_SYSLOG (util-linux: "read kernel buffer failed").
const DMESG_DENIED = /Operation not permitted|Permission denied/i;
// What journalctl prints for a user outside systemd-journal/adm, or where no journal is kept.
const JOURNAL_UNREADABLE = /insufficient permissions|not seeing messages from other users|No journal files were (?:found|opened)/i;
const EXIT_COMMAND_NOT_FOUND = 127;

/**
 * The kernel log of the host the target ran on, over SSH: `dmesg -T`, else `journalctl -k` from the
 * incident window's start, limited to the window. The host is the target's (host:NAME), the pod's node
 * (nodeName), the Docker host (docker.hosts name) or the ECS container instance (privateDnsName).
 * A user that may not read the kernel log (kernel.dmesg_restrict) fails as denied ("Operation not permitted").
 */
export const sshKernelLogSource: Source<z.infer<typeof params>> = {
  name: 'ssh.kernel-log',
  reads: 'the kernel log (dmesg -T, or journalctl -k) of the node or host, over SSH',
  params,
  async collect(ctx) {
    const name = kernelLogHost(ctx.target, ctx.needs);
    const ssh = ctx.clients.ssh(name);
    const maxBytes = ctx.params.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    let calls = 1;
    const dmesg = await ssh.exec(DMESG, { signal: ctx.signal, maxBytes });
    if (dmesg.code === 0 || (dmesg.truncated && dmesg.stdout !== '')) {
      const text = dmesgInWindow(completeLines(dmesg.stdout, dmesg.truncated), ctx.window);
      return output(name, 'dmesg -T', 'dmesg.txt', text, dmesg.truncated, calls);
    }
    const denied = DMESG_DENIED.test(dmesg.stderr);
    calls++;
    const journal = await readJournal(ssh, ctx, maxBytes);
    if (journal.text !== undefined) return output(name, 'journalctl -k', 'journalctl-k.txt', journal.text, journal.truncated, calls);
    const dmesgSaid = firstLine(dmesg.stderr) || `exit code ${dmesg.code ?? 'none'}`;
    if (denied) {
      throw new RemoteAccessError('denied', `${name}: dmesg: read kernel buffer failed: Operation not permitted (kernel.dmesg_restrict=1 and the SSH user lacks CAP_SYSLOG), and journalctl -k ${journal.problem}; connect as a user that may read the kernel log (root, or one in the systemd-journal group)`);
    }
    throw new Why137Error('why137_source_unavailable', `${name}: the kernel log could not be read: dmesg -T failed (${dmesgSaid}) and journalctl -k ${journal.problem}`);
  },
};

async function readJournal(ssh: SshExecutor, ctx: CollectContext<unknown>, maxBytes: number): Promise<{ text?: string; truncated: boolean; problem: string }> {
  const r = await ssh.exec(`env LC_ALL=C TZ=UTC ${journalctlSince(ctx.window)}`, { signal: ctx.signal, maxBytes });
  if (r.code === EXIT_COMMAND_NOT_FOUND) return { truncated: false, problem: 'is not installed' };
  // `-- No entries --`, `-- Boot … --`, `-- Logs begin at … --`: journalctl's own remarks, not log lines.
  const lines = completeLines(r.stdout, r.truncated).split('\n').filter((l) => l.trim() !== '' && !/^-- .* --$/.test(l.trim()));
  if ((r.code === 0 || r.truncated) && lines.length > 0) return { text: `${lines.join('\n')}\n`, truncated: r.truncated, problem: '' };
  if (JOURNAL_UNREADABLE.test(r.stderr)) return { truncated: false, problem: `shows nothing (${firstLine(r.stderr.split('\n').find((l) => JOURNAL_UNREADABLE.test(l)) ?? '')})` };
  if (r.code !== 0) return { truncated: false, problem: `failed (${firstLine(r.stderr) || `exit code ${r.code ?? 'none'}`})` };
  return { truncated: false, problem: 'has no kernel entries in the window' };
}

function output(host: string, command: string, file: string, text: string, truncated: boolean, calls: number) {
  const lines = text === '' ? 0 : text.split('\n').length - 1;
  const artifacts: RawArtifact[] = lines > 0 ? [{ name: file, content: text }] : [];
  return { artifacts, facts: { host, command, lines, truncated }, calls };
}

/** Output cut at the byte cap ends mid-line: drop the partial line so the parser sees whole lines only. */
function completeLines(stdout: string, truncated: boolean): string {
  if (!truncated) return stdout;
  const end = stdout.lastIndexOf('\n');
  return end < 0 ? '' : stdout.slice(0, end + 1);
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]?.trim().slice(0, 200) ?? '';
}
