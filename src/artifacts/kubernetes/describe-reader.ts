import type { Evidence } from '../../diagnosis/evidence.js';
import { ArtifactInvalidError } from '../../errors/artifact-invalid-error.js';
import { runtimeSettings } from '../../util/runtime-settings.js';
import { describeEventRow } from './describe-event-row.js';
import { describePodEvidence } from './describe-pod-evidence.js';
import { describeTime } from './describe-time.js';
import type { DescribedContainer, DescribedPod } from './described-pod.js';

type Section = 'containers' | 'conditions' | 'events' | 'resources' | 'other';
type Block = 'state' | 'last' | 'limits' | 'requests' | 'env' | 'command' | 'args' | 'other' | undefined;

// An env value kubectl resolved from a reference, not a literal: `<set to the key 'k' in secret 's'>`,
// `<set to the key 'k' of config map 'c'>`, `podname (v1:metadata.name)`, `node allocatable (limits.memory)`.
const REF_VALUE = /^<set to the key .*>|\((?:[a-z0-9.]+\/)?v\d\w*:[^)]*\)$|\((?:limits|requests)\.[a-z-]+\)$/;

/**
 * Reads `kubectl describe pod` output one line at a time (several pods may follow each other) and keeps only
 * the facts, never the lines. Indentation decides structure, as kubectl's PrefixWriter wrote it: 0 for pod
 * fields, 2 for a container's name, 4 for its fields, 6 for state details, quantities and env entries.
 */
export class DescribeReader {
  private readonly pods: DescribedPod[] = [];
  private pod: DescribedPod | undefined;
  private section: Section = 'other';
  private group: DescribedContainer['group'] = 'app';
  private container: DescribedContainer | undefined;
  private block: Block;
  private podBlock: 'limits' | 'requests' | undefined;
  private eventColumns: number[] | undefined;

  constructor(private readonly file: string, private readonly expected: string) {}

  line(raw: string, n: number): void {
    const text = (n === 1 ? raw.replace(/^\uFEFF/, '') : raw).replace(/\s+$/, '');
    if (text === '') return;
    const indent = text.length - text.trimStart().length;
    if (indent === 0) { this.top(text, n); return; }
    if (!this.pod) return;
    switch (this.section) {
      case 'containers': this.inContainer(text, indent, n); break;
      case 'conditions': {
        const m = /^ {2}(\S+)\s+(True|False|Unknown)$/.exec(text);
        if (m) this.pod.conditions.push({ type: m[1]!, status: m[2]! });
        break;
      }
      case 'events': this.inEvents(text, n); break;
      case 'resources': {
        if (indent === 2) this.podBlock = /^ {2}Limits:$/.test(text) ? 'limits' : /^ {2}Requests:$/.test(text) ? 'requests' : undefined;
        const m = /^ {4}([\w./-]+):\s+(\S+)$/.exec(text);
        if (m && this.podBlock) (this.podBlock === 'limits' ? this.pod.podLimits : this.pod.podRequests)[m[1]!] = m[2]!;
        break;
      }
      default: break;
    }
  }

  /** Evidence for every pod read; throws when a pod's output stops before its `Events:` section. */
  finish(): Evidence[] {
    this.closeContainer();
    if (this.pods.length === 0) throw new ArtifactInvalidError(this.file, this.expected, 'no `Name:` line of a pod');
    for (const pod of this.pods) {
      if (pod.containers.every((c) => c.group !== 'app')) throw new ArtifactInvalidError(this.file, this.expected, `pod ${pod.name} lists no containers (is the output cut off, or was its indentation lost in a paste?)`);
      // kubectl prints `Events:` (`Events: <none>` when there are none) as the last section of every pod.
      if (!pod.sawEvents) throw new ArtifactInvalidError(this.file, this.expected, `pod ${pod.name} ends before its Events: section, so the output looks cut off`);
    }
    return this.pods.flatMap((p) => describePodEvidence(p, this.file));
  }

  private top(text: string, n: number): void {
    const m = /^([A-Za-z][A-Za-z -]*):(?:\s+(.*))?$/.exec(text);
    if (!m) return; // a wrapped event message or similar
    const key = m[1]!;
    const value = m[2]?.trim();
    if (key === 'Name' && value && (!this.pod || this.pod.namespace !== undefined)) {
      this.closeContainer();
      this.pod = { name: value, nameLine: n, podLimits: {}, podRequests: {}, conditions: [], containers: [], events: [], sawEvents: false };
      this.pods.push(this.pod);
      this.section = 'other';
      return;
    }
    const pod = this.pod;
    if (!pod) return;
    // Events is a pod's last section: an unindented line there is a wrapped event message, not a new field.
    if (this.section === 'events') return;
    this.closeContainer();
    this.section = 'other';
    switch (key) {
      case 'Namespace': pod.namespace = value; break;
      case 'Node': if (value && value !== '<none>') pod.node = value.split('/')[0]; break;
      case 'Start Time': pod.startTime = describeTime(value); break;
      case 'Status': if (value) pod.status = { text: value, line: n }; break;
      case 'Reason': pod.reason = value; break;
      case 'Message': pod.message = value; break;
      case 'Termination Grace Period': { const s = /^(\d+)s$/.exec(value ?? ''); if (s) pod.deletionGracePeriodSeconds = Number(s[1]); break; }
      case 'Controlled By': pod.controlledBy = value; break;
      case 'QoS Class': if (value) pod.qosClass = { text: value, line: n }; break;
      case 'Resources': this.section = 'resources'; pod.podResourcesLine = n; break;
      case 'Init Containers': this.section = 'containers'; this.group = 'init'; break;
      case 'Containers': this.section = 'containers'; this.group = 'app'; break;
      case 'Ephemeral Containers': this.section = 'containers'; this.group = 'ephemeral'; break;
      case 'Conditions': this.section = 'conditions'; break;
      case 'Events': pod.sawEvents = true; this.section = 'events'; this.eventColumns = undefined; break;
      default: this.section = 'other';
    }
  }

  private inContainer(text: string, indent: number, n: number): void {
    if (indent === 2) {
      const m = /^ {2}([a-z0-9]([-a-z0-9.]*[a-z0-9])?):$/.exec(text);
      if (!m) return;
      this.closeContainer();
      this.container = { name: m[1]!, line: n, group: this.group, command: [], args: [], limits: {}, requests: {}, env: [] };
      this.pod!.containers.push(this.container);
      return;
    }
    const c = this.container;
    if (!c) return;
    if (indent === 4) {
      const m = /^ {4}([A-Za-z][A-Za-z -]*):(?:\s+(.*))?$/.exec(text);
      if (!m) { this.block = undefined; return; }
      const value = m[2]?.trim();
      this.block = 'other';
      switch (m[1]) {
        case 'Container ID': c.containerId = value; break;
        case 'Image': c.image = value; break;
        case 'Command': this.block = 'command'; break;
        case 'Args': this.block = 'args'; break;
        case 'State': c.state = { status: value ?? 'Waiting', line: n, excerpt: squeeze(text) }; this.block = 'state'; break;
        case 'Last State': c.last = { status: value ?? 'Terminated', line: n, excerpt: squeeze(text) }; this.block = 'last'; break;
        case 'Restart Count': if (value && /^\d+$/.test(value)) c.restartCount = Number(value); break;
        case 'Limits': this.block = 'limits'; c.limitsLine = n; break;
        case 'Requests': this.block = 'requests'; c.limitsLine ??= n; break;
        case 'Environment': c.envLine = n; this.block = value === '<none>' ? 'other' : 'env'; break;
        default: break;
      }
      return;
    }
    if (indent !== 6) return; // continuation of a multi-line env value, mount flags, ...
    const body = text.slice(6);
    switch (this.block) {
      case 'command': c.command.push(body); break;
      case 'args': c.args.push(body); break;
      case 'limits': case 'requests': {
        const m = /^([\w./-]+):\s+(\S+)$/.exec(body);
        if (m) (this.block === 'limits' ? c.limits : c.requests)[m[1]!] = m[2]!;
        break;
      }
      case 'env': {
        const m = /^([A-Za-z_][A-Za-z0-9_.-]*):(?:\s+(.*))?$/.exec(body);
        if (!m) break;
        const value = m[2]?.trim() ?? '';
        c.env.push(REF_VALUE.test(value) ? { name: m[1]! } : { name: m[1]!, value });
        break;
      }
      case 'state': case 'last': {
        const s = this.block === 'state' ? c.state! : c.last!;
        const m = /^([A-Za-z][A-Za-z ]*):(?:\s+(.*))?$/.exec(body);
        if (!m) break;
        const value = m[2]?.trim();
        if (m[1] === 'Reason') { s.reason = value; s.excerpt = `${s.excerpt}; ${squeeze(body)}`; }
        else if (m[1] === 'Message') s.message = value;
        else if (m[1] === 'Exit Code' && value && /^-?\d+$/.test(value)) { s.exitCode = Number(value); s.excerpt = `${s.excerpt}; ${squeeze(body)}`; }
        else if (m[1] === 'Started') s.startedAt = describeTime(value);
        else if (m[1] === 'Finished') s.finishedAt = describeTime(value);
        break;
      }
      default: break;
    }
  }

  private inEvents(text: string, n: number): void {
    if (/^ {2}Type\s+Reason\s+Age\s+From\s+Message$/.test(text)) {
      this.eventColumns = ['Type', 'Reason', 'Age', 'From', 'Message'].map((h) => text.search(new RegExp(`\\b${h}\\b`)));
      return;
    }
    if (/^ {2}-+\s+-+/.test(text)) return;
    const row = describeEventRow(text, this.eventColumns);
    if (row) this.pod!.events.push({ line: n, ...row });
  }

  /** Reads the env values into settings now, then forgets them: only names outlive this call. */
  private closeContainer(): void {
    const c = this.container;
    if (c) {
      c.settings = runtimeSettings({ env: c.env, command: [...c.command, ...c.args], ...(c.image ? { image: c.image } : {}) });
      c.env = c.env.map((e) => ({ name: e.name }));
    }
    this.container = undefined;
    this.block = undefined;
  }
}

/** A line as an excerpt: kubectl's column padding squeezed to single spaces. */
function squeeze(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
