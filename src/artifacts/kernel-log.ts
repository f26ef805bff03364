import type { Evidence, KernelOomEvidence, LogCoverageEvidence, StopEscalationEvidence, Subject } from '../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../errors/artifact-invalid-error.js';
import type { TextParser } from './artifact-parser.js';

const EXPECTED = 'a kernel log (dmesg, journalctl -k, kern.log)';

/** One log line with its prefix taken apart. `ident` is undefined for bare kernel text (dmesg). */
interface Line {
  msg: string;
  ident?: string;
  host?: string;
  time?: string;
  uptime?: number;
}

/** What is known so far about one OOM report; only these fields live while a report is in progress. */
interface Report {
  host: string;
  stage: number;
  lastLine: number;
  lastClock?: number;
  invokedBy?: string;
  cpuset?: string;
  taskCgroup?: string;
  limitCgroup?: string;
  statsCgroup?: string;
  usageKb?: number;
  limitKb?: number;
  constraint?: string;
  scope?: 'cgroup' | 'global';
  pid?: number;
  process?: string;
  citeLine?: number;
  citeExcerpt?: string;
  citeTime?: string;
  citeUptime?: number;
}

// Report stages in the order the kernel prints them (mm/oom_kill.c dump_header, memcontrol.c).
const INVOKED = 0, CPUSET = 1, TASK_IN = 2, MEMORY = 3, STATS = 4, SUMMARY = 5, DECIDE = 6, KILLED = 7;
// A report whose last line is this many seconds older than the current line is abandoned (cut logs).
const STALE_SECONDS = 120;
// Open reports kept per file; kernels serialise OOM reports (oom_lock), so more means merged hosts.
const MAX_OPEN = 32;
const MAX_PENDING_STOPS = 1024;
const EXCERPT_CHARS = 200;
const DETECT_LINES = 300;

const MONTHS: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };
const DAEMONS = new Set(['dockerd', 'containerd', 'docker', 'dockerd-current']);
const KNOWN_IDENTS = new Set(['kernel', 'systemd', 'systemd-oomd', 'kubelet', ...DAEMONS]);

const RE = {
  dmesg: /^\[\s*(\d+\.\d+)\](?:\[\s*[TC]\d+\])? ?(.*)$/,
  dmesgT: /^\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d:\d\d:\d\d) (\d{4})\](?:\[\s*[TC]\d+\])? ?(.*)$/,
  facility: /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]) *:(?:emerg|alert|crit|err|warn|notice|info|debug) *: (.*)$/,
  syslog: /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d:\d\d:\d\d)(\.\d+)? (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/,
  iso: /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)([.,]\d+)?(Z|[+-]\d\d:?\d\d)? +(.*)$/,
  hostIdent: /^([^\s:]+) ([^\s:[]+)(\[(\d+)\])?: ?(.*)$/,
  logrus: /^time="([^"]+)" level=(\w+) msg="((?:[^"\\]|\\.)*)"(.*)$/,
  innerUptime: /^\[\s*(\d+\.\d+)\] ?(.*)$/,

  invoked: /^(.*?) invoked oom-killer: /,
  cpuset: /^(.*?) cpuset=(\S*) mems_allowed=/,
  taskIn: /^Task in (\S+) killed as a result of limit of (\S+)/,
  memory: /^memory: usage (\d+)kB, limit (\d+)kB/,
  stats: /^Memory cgroup stats for (\S+?):?(?: |$)/,
  summary: /^oom-kill:(.*)$/,
  decide: /^(?:(Memory cgroup out of memory|Out of memory(?: \([^)]*\))?): )?Kill process (\d+) \((.*)\) score (\d+) or sacrifice child/,
  // 2.6.32 (RHEL 6) printed `Killed process 215701, UID 679, (java) total-vm:...`.
  killed: /^(?:(Memory cgroup out of memory|Out of memory(?: \([^)]*\))?): )?Killed process (\d+),? (?:UID \d+, )?\((.*)\),? (?:UID \d+, )?total-vm:(\d+)kB/,
  noKillable: /^Out of memory and no killable processes/,

  oomd: /^Killed (\S+) due to (.*)$/,
  systemdStopping: /^Stopping (\S+\.(?:service|scope)) - /,
  systemdTimeout: /^(\S+?):? (?:State ')?(stop-sigterm|stop-final-sigterm|final-sigterm|stop-watchdog)'? timed out\. Killing\.?/,
  forceNew: /^Container failed to exit within (\S+) of signal (\w+) - using the force/,
  forceOld: /^Container ([0-9a-f]{12,64}) failed to exit within (\d+) seconds of signal (\w+) - using the force/,
  criStop: /^StopContainer for "([^"]+)" with timeout (\d+) \(s\)/,
  criKill: /^Kill container "([^"]+)"/,
  criTimedOut: /^Stop container "([^"]+)" with signal \S+ timed out/,
};

/**
 * Kernel logs in every common form (dmesg, dmesg -T, journalctl -k [-o short-iso|json], kern.log/syslog),
 * plus the systemd, systemd-oomd, dockerd and containerd lines that explain a SIGKILL. Streamed: only the
 * OOM reports in progress are held, never the lines. One `kernel.oom` per kill, one `stop.escalation`
 * per escalated stop, one `log.coverage`.
 */
export const kernelLog = {
  format: 'text',
  kind: 'kernel.log',
  expected: EXPECTED,
  detect(head: string): boolean {
    let seen = 0, strong = 0, shaped = 0;
    for (const raw of head.split('\n', DETECT_LINES)) {
      if (raw.trim() === '') continue;
      seen++;
      const c = classify(raw);
      if (c === 'strong') strong++;
      if (c !== 'none') shaped++;
    }
    return strong > 0 && shaped * 2 >= seen;
  },
  async parse(lines: AsyncIterable<string>, file: string): Promise<Evidence[]> {
    const p = new KernelLogParser(file);
    for await (const raw of lines) p.line(raw);
    return p.end();
  },
} satisfies TextParser;

class KernelLogParser {
  private readonly out: Evidence[] = [];
  private readonly open: Report[] = [];
  /** containerd CRI: container id → grace period of a StopContainer in progress. */
  private readonly pendingStops = new Map<string, number>();
  /** systemd: `host unit` → wall-clock second its stop began (v253+ names the unit in "Stopping <unit> - <description>..."). */
  private readonly stopping = new Map<string, number>();
  private n = 0;
  private count = 0;
  private firstTime?: string;
  private lastTime?: string;
  private firstUptime?: number;
  private lastUptime?: number;
  private json = false;

  constructor(private readonly file: string) {}

  line(raw: string): void {
    this.n++;
    if (raw.trim() === '') return;
    if (raw.includes('\u0000')) throw new ArtifactInvalidError(this.file, EXPECTED, `line ${this.n} holds binary data`);
    this.count++;
    const l = this.split(raw);
    if (!l) return;
    if (l.time !== undefined) { this.firstTime ??= l.time; this.lastTime = l.time; }
    if (l.uptime !== undefined) { this.firstUptime ??= l.uptime; this.lastUptime = l.uptime; }
    const ident = l.ident;
    if (ident === undefined || ident === 'kernel') this.kernel(l);
    else if (ident === 'systemd-oomd') this.oomd(l);
    else if (ident === 'systemd') this.systemd(l);
    else if (DAEMONS.has(ident)) this.daemon(l);
  }

  end(): Evidence[] {
    for (const r of this.open.splice(0)) this.flush(r);
    const coverage: LogCoverageEvidence = { kind: 'log.coverage', cite: { file: this.file, at: `lines 1-${this.n}` }, subject: {}, log: 'kernel', lines: this.count };
    if (this.firstTime !== undefined) { coverage.firstTime = this.firstTime; coverage.lastTime = this.lastTime!; }
    if (this.firstUptime !== undefined) { coverage.firstUptimeSeconds = this.firstUptime; coverage.lastUptimeSeconds = this.lastUptime!; }
    this.out.push(coverage);
    return this.out;
  }

  // ---- prefixes ---------------------------------------------------------------------------------

  private split(raw: string): Line | null {
    const c = raw.charCodeAt(0);
    if (c === 123 /* { */) return this.journalJson(raw);
    if (this.json) throw new ArtifactInvalidError(this.file, EXPECTED, `line ${this.n} is not a journal JSON record (truncated?)`);
    let m: RegExpExecArray | null;
    if (c === 91 /* [ */) {
      if ((m = RE.dmesg.exec(raw))) return { msg: m[2]!, uptime: Number(m[1]) };
      if ((m = RE.dmesgT.exec(raw))) return { msg: m[5]!, time: `${m[4]}-${MONTHS[m[1]!]}-${m[2]!.padStart(2, '0')}T${m[3]}` };
      return { msg: raw };
    }
    if (c >= 48 && c <= 57 /* digit */ && (m = RE.iso.exec(raw))) {
      const time = isoTime(m[1]!, m[2]!, m[3], m[4]);
      const rest = m[5]!;
      const h = RE.hostIdent.exec(rest);
      // `dmesg --time-format iso` has no host; a `word word:` kernel message must not pass for host + ident.
      if (h && (KNOWN_IDENTS.has(h[2]!) || h[3] !== undefined)) return this.withInner({ msg: h[5]!, ident: h[2]!, host: h[1]!, time });
      return this.withInner({ msg: rest, time });
    }
    if ((m = RE.syslog.exec(raw))) {
      const time = syslogTime(m[1]!, m[2]!, m[3]!, m[4]);
      return this.withInner({ msg: m[8]!, ident: m[6]!, host: m[5]!, time });
    }
    if ((m = RE.facility.exec(raw))) return this.split(m[1]!);
    if (c === 116 /* t */ && (m = RE.logrus.exec(raw))) return { msg: unescape(m[3]!) + m[4]!, ident: 'dockerd', time: utcTime(m[1]!) };
    return { msg: raw };
  }

  /** kern.log and `journalctl -k` keep the kernel's own `[ 123.456]`; dockerd via syslog keeps its logrus text. */
  private withInner(l: Line): Line {
    if (l.ident === undefined || l.ident === 'kernel') {
      const m = RE.innerUptime.exec(l.msg);
      if (m) { l.msg = m[2]!; l.uptime = Number(m[1]); }
    } else if (l.msg.startsWith('time="')) {
      const m = RE.logrus.exec(l.msg);
      if (m) { l.msg = unescape(m[3]!) + m[4]!; l.time = utcTime(m[1]!); } // logrus time has the year and zone
    }
    return l;
  }

  private journalJson(raw: string): Line | null {
    let doc: unknown;
    try { doc = JSON.parse(raw); } catch {
      throw new ArtifactInvalidError(this.file, EXPECTED, `line ${this.n} is not valid JSON (truncated?)`);
    }
    if (typeof doc !== 'object' || doc === null || !('MESSAGE' in doc)) {
      throw new ArtifactInvalidError(this.file, EXPECTED, `line ${this.n} is JSON but not a journal record (no MESSAGE)`);
    }
    this.json = true;
    const d = doc as Record<string, unknown>;
    if (typeof d.MESSAGE !== 'string') return null; // binary messages are journald byte arrays
    const ident = typeof d.SYSLOG_IDENTIFIER === 'string' ? d.SYSLOG_IDENTIFIER : d._TRANSPORT === 'kernel' ? 'kernel' : undefined;
    const l: Line = { msg: d.MESSAGE, ident: ident ?? 'unknown' };
    if (typeof d._HOSTNAME === 'string') l.host = d._HOSTNAME;
    const rt = typeof d.__REALTIME_TIMESTAMP === 'string' ? d.__REALTIME_TIMESTAMP : undefined;
    if (rt && /^\d{7,}$/.test(rt)) l.time = `${new Date(Number(rt.slice(0, -6)) * 1000).toISOString().slice(0, 19)}.${rt.slice(-6)}Z`;
    const mono = d._SOURCE_MONOTONIC_TIMESTAMP;
    if (ident === 'kernel' && typeof mono === 'string' && /^\d+$/.test(mono)) l.uptime = Number(mono) / 1e6;
    return this.withInner(l);
  }

  // ---- kernel OOM reports -----------------------------------------------------------------------

  private kernel(l: Line): void {
    const msg = l.msg;
    // Cheap guards first: almost every line of a 1 GB log is noise.
    if (!(msg.includes('oom') || msg.includes('ill') || msg.includes('memory') || msg.includes('cpuset=') || msg.includes('Memory'))) return;
    const host = l.host ?? '';
    let m: RegExpExecArray | null;
    if ((m = RE.invoked.exec(msg))) {
      this.expire(host, l);
      if (this.open.length >= MAX_OPEN) this.flush(this.open.shift()!);
      this.open.push({ host, stage: INVOKED, lastLine: this.n, lastClock: clock(l), invokedBy: m[1]! });
    } else if ((m = RE.cpuset.exec(msg))) {
      const comm = m[1]!;
      const r = this.pick(host, CPUSET, l, (x) => x.invokedBy === comm);
      if (r) { r.cpuset = m[2]!; this.touch(r, CPUSET, l); }
    } else if ((m = RE.taskIn.exec(msg))) {
      const task = m[1]!;
      const r = this.pick(host, TASK_IN, l, (x) => x.cpuset !== undefined && task.endsWith(`/${x.cpuset}`));
      if (r) { r.taskCgroup = task; r.limitCgroup = m[2]!; r.scope = 'cgroup'; this.touch(r, TASK_IN, l); }
    } else if ((m = RE.memory.exec(msg))) {
      const r = this.pick(host, MEMORY, l);
      if (r) { r.usageKb = Number(m[1]); r.limitKb = Number(m[2]); r.scope ??= 'cgroup'; this.touch(r, MEMORY, l); }
    } else if ((m = RE.stats.exec(msg))) {
      const cg = m[1]!;
      const r = this.pick(host, STATS, l, (x) => x.limitCgroup === cg);
      if (r) { r.statsCgroup = cg; this.touch(r, STATS, l); }
    } else if ((m = RE.summary.exec(msg))) {
      const f = summaryFields(m[1]!);
      const r = this.pick(host, SUMMARY, l, (x) => (f.oomMemcg !== undefined && (x.statsCgroup === f.oomMemcg || x.limitCgroup === f.oomMemcg)) || (f.cpuset !== undefined && x.cpuset === f.cpuset))
        ?? this.begin(host, l);
      if (f.constraint) { r.constraint = f.constraint; r.scope = f.constraint === 'CONSTRAINT_MEMCG' ? 'cgroup' : 'global'; }
      if (f.cpuset !== undefined) r.cpuset = f.cpuset;
      if (f.oomMemcg !== undefined) r.limitCgroup = f.oomMemcg;
      if (f.taskMemcg !== undefined) r.taskCgroup = f.taskMemcg;
      if (f.task !== undefined) r.process = f.task;
      if (f.pid !== undefined) r.pid = f.pid;
      this.cite(r, l);
      this.touch(r, SUMMARY, l);
    } else if ((m = RE.decide.exec(msg))) {
      const pid = Number(m[2]);
      const r = this.pick(host, DECIDE, l, (x) => x.pid === pid) ?? this.begin(host, l);
      if (m[1]) r.scope ??= m[1].startsWith('Memory cgroup') ? 'cgroup' : 'global';
      r.pid = pid;
      r.process = m[3]!;
      this.cite(r, l);
      this.touch(r, DECIDE, l);
    } else if ((m = RE.killed.exec(msg))) {
      const pid = Number(m[2]);
      // Old kernels may "sacrifice" a child: the Killed pid then differs from the decided one.
      const r = this.pick(host, KILLED, l, (x) => x.pid === pid) ?? this.begin(host, l);
      this.open.splice(this.open.indexOf(r), 1);
      this.emit(r, l, m, pid);
    } else if (RE.noKillable.test(msg)) {
      const r = this.pick(host, KILLED, l);
      if (r) this.open.splice(this.open.indexOf(r), 1);
    }
  }

  private begin(host: string, l: Line): Report {
    const r: Report = { host, stage: INVOKED, lastLine: this.n, lastClock: clock(l) };
    if (this.open.length >= MAX_OPEN) this.flush(this.open.shift()!);
    this.open.push(r);
    return r;
  }

  /** The open report (same host, not past `stage`) a line belongs to: one matching its ids, else the newest. */
  private pick(host: string, stage: number, l: Line, matches?: (r: Report) => boolean): Report | undefined {
    const now = clock(l);
    let newest: Report | undefined;
    for (const r of this.open) {
      if (r.host !== host || r.stage >= stage) continue;
      if (now !== undefined && r.lastClock !== undefined && now - r.lastClock > STALE_SECONDS) continue;
      if (matches?.(r)) return r;
      newest = r;
    }
    return newest;
  }

  private touch(r: Report, stage: number, l: Line): void {
    r.stage = stage;
    r.lastLine = this.n;
    r.lastClock = clock(l) ?? r.lastClock;
  }

  private cite(r: Report, l: Line): void {
    r.citeLine = this.n;
    r.citeExcerpt = l.msg.slice(0, EXCERPT_CHARS);
    r.citeTime = l.time;
    r.citeUptime = l.uptime;
  }

  /** Drops a host's reports whose lines stopped long ago (a cut log); a decided kill is still reported. */
  private expire(host: string, l: Line): void {
    const now = clock(l);
    if (now === undefined) return;
    for (let i = this.open.length - 1; i >= 0; i--) {
      const r = this.open[i]!;
      if (r.host === host && r.lastClock !== undefined && now - r.lastClock > STALE_SECONDS) { this.open.splice(i, 1); this.flush(r); }
    }
  }

  /** A report that ended without its "Killed process" line: reported only when the victim was named. */
  private flush(r: Report): void {
    if (r.pid === undefined || r.citeLine === undefined) return;
    this.out.push(this.evidence(r, r.citeLine, r.citeExcerpt!, r.citeTime, r.citeUptime));
  }

  private emit(r: Report, l: Line, m: RegExpExecArray, pid: number): void {
    const msg = l.msg;
    if (m[1] && !r.constraint) r.scope = m[1].startsWith('Memory cgroup') ? 'cgroup' : 'global';
    r.pid = pid;
    r.process = m[3]!;
    const e = this.evidence(r, this.n, msg.slice(0, EXCERPT_CHARS), l.time, l.uptime);
    e.totalVmKb = Number(m[4]);
    const kb = (name: string) => { const x = new RegExp(`${name}:(\\d+)kB`).exec(msg); return x ? Number(x[1]) : undefined; };
    const anon = kb('anon-rss'); if (anon !== undefined) e.anonRssKb = anon;
    const fileRss = kb('file-rss'); if (fileRss !== undefined) e.fileRssKb = fileRss;
    const shmem = kb('shmem-rss'); if (shmem !== undefined) e.shmemRssKb = shmem;
    const adj = /oom_score_adj:(-?\d+)/.exec(msg);
    if (adj) e.oomScoreAdj = Number(adj[1]);
    this.out.push(e);
  }

  private evidence(r: Report, line: number, excerpt: string, time: string | undefined, uptime: number | undefined): KernelOomEvidence {
    const subject: Subject = r.taskCgroup !== undefined ? subjectFromCgroup(r.taskCgroup) : {};
    if (subject.containerId === undefined && r.taskCgroup === undefined && r.cpuset !== undefined && /^[0-9a-f]{64}$/.test(r.cpuset)) {
      // NOTE: before 4.19 only the cpuset names the cgroup; Docker and the kubelet name the leaf after the container id.
      subject.containerId = r.cpuset;
    }
    if (r.pid !== undefined) subject.pid = r.pid;
    if (r.host) subject.host = r.host;
    const e: KernelOomEvidence = { kind: 'kernel.oom', cite: { file: this.file, at: `line ${line}`, excerpt }, subject, scope: r.scope ?? 'global' };
    if (time !== undefined) e.time = time;
    if (uptime !== undefined) e.uptimeSeconds = uptime;
    if (r.pid !== undefined) e.pid = r.pid;
    if (r.process !== undefined) e.process = r.process;
    if (r.constraint !== undefined) e.constraint = r.constraint;
    if (r.limitCgroup !== undefined) e.limitCgroup = r.limitCgroup;
    if (r.taskCgroup !== undefined) e.taskCgroup = r.taskCgroup;
    if (r.usageKb !== undefined) { e.cgroupUsageKb = r.usageKb; e.cgroupLimitKb = r.limitKb!; }
    if (r.invokedBy !== undefined) e.invokedBy = r.invokedBy;
    if (r.cpuset !== undefined) e.cpuset = r.cpuset;
    return e;
  }

  // ---- systemd-oomd, systemd, dockerd, containerd -----------------------------------------------

  private oomd(l: Line): void {
    const m = RE.oomd.exec(l.msg);
    if (!m) return;
    const cgroup = m[1]!;
    const subject = subjectFromCgroup(cgroup);
    if (l.host) subject.host = l.host;
    const e: KernelOomEvidence = { kind: 'kernel.oom', cite: this.citeOf(l), subject, scope: 'oomd', taskCgroup: cgroup };
    // "due to memory pressure for /user.slice/... being 59.35% > 50.00% for > 20s with reclaim activity"
    const pressure = /pressure for (\S+) being/.exec(m[2]!);
    if (pressure) e.limitCgroup = pressure[1]!;
    if (l.time !== undefined) e.time = l.time;
    this.out.push(e);
  }

  private systemd(l: Line): void {
    let m: RegExpExecArray | null;
    if ((m = RE.systemdStopping.exec(l.msg))) {
      const t = clock(l);
      if (t !== undefined && l.uptime === undefined) {
        if (this.stopping.size >= MAX_PENDING_STOPS) this.stopping.delete(this.stopping.keys().next().value!);
        this.stopping.set(`${l.host ?? ''} ${m[1]}`, t);
      }
      return;
    }
    if (!l.msg.includes('timed out') || !(m = RE.systemdTimeout.exec(l.msg))) return;
    const unit = m[1]!;
    const subject: Subject = { platform: 'host', unit };
    if (l.host) subject.host = l.host;
    // systemd does not print TimeoutStopSec; the time since its "Stopping <unit>" line is that grace period.
    const key = `${l.host ?? ''} ${unit}`;
    const since = this.stopping.get(key);
    this.stopping.delete(key);
    const now = clock(l);
    this.escalation('systemd', l, subject, since !== undefined && now !== undefined && l.uptime === undefined ? Math.round(now - since) : undefined);
  }

  private daemon(l: Line): void {
    const msg = l.msg;
    let m: RegExpExecArray | null;
    if (msg.includes('using the force')) {
      if ((m = RE.forceNew.exec(msg))) {
        const id = /\bcontainer=([0-9a-f]{12,64})/.exec(msg)?.[1];
        this.escalation('dockerd', l, dockerSubject(id, l.host), goDuration(m[1]!));
      } else if ((m = RE.forceOld.exec(msg))) {
        this.escalation('dockerd', l, dockerSubject(m[1], l.host), Number(m[2]));
      }
    } else if ((m = RE.criStop.exec(msg))) {
      const grace = Number(m[2]);
      if (grace > 0) {
        if (this.pendingStops.size >= MAX_PENDING_STOPS) this.pendingStops.delete(this.pendingStops.keys().next().value!);
        this.pendingStops.set(m[1]!, grace);
      }
    } else if ((m = RE.criTimedOut.exec(msg)) || (m = RE.criKill.exec(msg))) {
      // NOTE: containerd's CRI logs "Kill container" only after the stop signal's grace period ran out
      // (pkg/cri/server/container_stop.go); StopContainer with timeout 0 is a forced delete, not an escalation.
      const id = m[1]!;
      const grace = this.pendingStops.get(id);
      if (grace === undefined) return;
      this.pendingStops.delete(id);
      const subject: Subject = { containerId: id };
      if (l.host) subject.host = l.host;
      this.escalation('containerd', l, subject, grace);
    }
  }

  private escalation(by: StopEscalationEvidence['by'], l: Line, subject: Subject, graceSeconds?: number): void {
    const e: StopEscalationEvidence = { kind: 'stop.escalation', cite: this.citeOf(l), subject, by };
    if (graceSeconds !== undefined && Number.isFinite(graceSeconds)) e.graceSeconds = graceSeconds;
    if (l.time !== undefined) e.time = l.time;
    this.out.push(e);
  }

  private citeOf(l: Line): { file: string; at: string; excerpt: string } {
    return { file: this.file, at: `line ${this.n}`, excerpt: l.msg.slice(0, EXCERPT_CHARS) };
  }
}

// ---- helpers ------------------------------------------------------------------------------------

/** What detect() makes of one line: a kernel/daemon line we read, a log-shaped line, or anything else. */
function classify(raw: string): 'strong' | 'shaped' | 'none' {
  let m: RegExpExecArray | null;
  if (RE.dmesg.test(raw) || RE.dmesgT.test(raw) || RE.facility.test(raw)) return 'strong';
  if ((m = RE.syslog.exec(raw))) return KNOWN_IDENTS.has(m[6]!) ? 'strong' : 'shaped';
  if ((m = RE.iso.exec(raw))) {
    const h = RE.hostIdent.exec(m[5]!);
    if (h && KNOWN_IDENTS.has(h[2]!)) return 'strong';
    if (h && h[3] !== undefined) return 'shaped';
    return isOomLine(m[5]!) ? 'strong' : 'none';
  }
  if (raw.startsWith('{')) {
    if (!/"MESSAGE"\s*:/.test(raw) || !/"__REALTIME_TIMESTAMP"\s*:/.test(raw)) return 'none';
    return /"_TRANSPORT"\s*:\s*"kernel"|"SYSLOG_IDENTIFIER"\s*:\s*"(kernel|systemd|systemd-oomd|dockerd|containerd)"/.test(raw) ? 'strong' : 'shaped';
  }
  if ((m = RE.logrus.exec(raw))) {
    return /using the force|Docker daemon|API listen on|Loading containers|Starting up|containerd successfully booted|shim disconnected|starting signal loop|StopContainer for|Kill container/.test(m[3]!) ? 'strong' : 'shaped';
  }
  return isOomLine(raw) ? 'strong' : 'none';
}

/** Bare kernel OOM lines (`dmesg -t`, a pasted report) are unmistakable on their own. */
function isOomLine(msg: string): boolean {
  return RE.invoked.test(msg) || msg.startsWith('oom-kill:constraint=') || /^(Memory cgroup out of memory|Out of memory): Kill(ed)? process \d+/.test(msg);
}

function summaryFields(body: string): { constraint?: string; cpuset?: string; oomMemcg?: string; taskMemcg?: string; task?: string; pid?: number } {
  const f: ReturnType<typeof summaryFields> = {};
  // task= is a comm and may hold commas: read it from the end.
  const tail = /,task=(.*),pid= *(\d+),uid= *(\d+)$/.exec(body);
  const head = tail ? body.slice(0, tail.index) : body;
  if (tail) { f.task = tail[1]!; f.pid = Number(tail[2]); }
  const get = (k: string) => new RegExp(`(?:^|,)${k}=([^,]*)`).exec(head)?.[1];
  const constraint = get('constraint'); if (constraint) f.constraint = constraint;
  const cpuset = get('cpuset'); if (cpuset !== undefined) f.cpuset = cpuset;
  const oom = get('oom_memcg') ?? get('origin_memcg'); if (oom !== undefined) f.oomMemcg = oom;
  const task = get('task_memcg') ?? get('kill_memcg'); if (task !== undefined) f.taskMemcg = task;
  return f;
}

const HEX64 = /^[0-9a-f]{64}$/;
const SCOPE_ID = /^(?:docker|cri-containerd|crio|libpod|nerdctl)-([0-9a-f]{64})\.scope$/;
const POD = /^(?:kubepods-(?:burstable-|besteffort-)?)?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}|[0-9a-f]{32})(?:\.slice)?$/;
const ECS_TASK_SLICE = /^ecs(?:tasks)?-([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.slice$/;

/** Who a cgroup path belongs to: container id, pod UID, ECS task, systemd unit. */
function subjectFromCgroup(path: string): Subject {
  const s: Subject = {};
  const parts = path.split('/').filter(Boolean);
  let platform: Subject['platform'];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const prev = i > 0 ? parts[i - 1] : undefined;
    let m: RegExpExecArray | null;
    if (p === 'kubepods' || p.startsWith('kubepods.') || p.startsWith('kubepods-')) platform = 'kubernetes';
    if ((m = POD.exec(p))) s.podUid = m[1]!.replace(/_/g, '-');
    if (prev === 'ecs') { s.taskId = p; platform ??= 'ecs'; }
    else if ((m = ECS_TASK_SLICE.exec(p))) { s.taskId = m[1]!; platform ??= 'ecs'; }
    if (s.taskId !== undefined && i > 0 && (parts[i - 1] === s.taskId || ECS_TASK_SLICE.test(parts[i - 1]!))) s.runtimeId = p.replace(/^docker-(.*)\.scope$/, '$1');
    if ((m = SCOPE_ID.exec(p))) { s.containerId = m[1]!; if (p.startsWith('docker-')) platform ??= 'docker'; }
    else if (HEX64.test(p)) { s.containerId = p; if (prev === 'docker') platform ??= 'docker'; }
    else if ((m = /^crio-([0-9a-f]{64})$/.exec(p))) s.containerId = m[1]!;
    else if (i === parts.length - 1 && (prev === 'docker' || prev === 'containerd') && /^[\w.-]+$/.test(p)) { s.containerId = p; if (prev === 'docker') platform ??= 'docker'; }
  }
  if (s.containerId === undefined && s.taskId === undefined && s.podUid === undefined) {
    const unit = [...parts].reverse().find((p) => /\.(service|scope)$/.test(p));
    if (unit) { s.unit = unit; platform ??= 'host'; }
  }
  if (platform) s.platform = platform;
  return s;
}

function dockerSubject(id: string | undefined, host: string | undefined): Subject {
  const s: Subject = { platform: 'docker' };
  if (id) s.containerId = id;
  if (host) s.host = host;
  return s;
}

/** Seconds of a Go duration as dockerd prints it: `1s`, `10s`, `1m0s`, `1.5s`. */
function goDuration(d: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(d);
  if (!m || d === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** Seconds (uptime or wall clock) a line happened at, for staleness; undefined when unknown. */
function clock(l: Line): number | undefined {
  if (l.uptime !== undefined) return l.uptime;
  if (l.time !== undefined) { const t = Date.parse(l.time); return Number.isNaN(t) ? undefined : t / 1000; }
  return undefined;
}

function isoTime(date: string, hms: string, frac: string | undefined, zone: string | undefined): string {
  const f = frac ? `.${frac.slice(1)}` : '';
  if (zone === undefined) return `${date}T${hms}${f}`;
  if (zone === 'Z' || /^[+-]00:?00$/.test(zone)) return `${date}T${hms}${f}Z`;
  const ms = Date.parse(`${date}T${hms}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  return Number.isNaN(ms) ? `${date}T${hms}${f}${zone}` : `${new Date(ms).toISOString().slice(0, 19)}${f}Z`;
}

function utcTime(t: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(t);
  return m ? isoTime(m[1]!, m[2]!, m[3], m[4]) : t;
}

/**
 * Syslog's `Nov 23 13:00:00` has no year and no zone. NOTE: like rsyslog and journald readers, assume
 * the most recent such date: this year, or last year when that date is still ahead (a log from December read in January).
 */
function syslogTime(mon: string, day: string, hms: string, frac: string | undefined): string {
  const now = new Date();
  let year = now.getUTCFullYear();
  const month = MONTHS[mon]!;
  const dd = day.padStart(2, '0');
  if (Date.parse(`${year}-${month}-${dd}T00:00:00Z`) > now.getTime() + 2 * 86_400_000) year--;
  return `${year}-${month}-${dd}T${hms}${frac ?? ''}`;
}

function unescape(s: string): string {
  return s.includes('\\') ? s.replace(/\\(["\\])/g, '$1').replace(/\\n/g, ' ') : s;
}
