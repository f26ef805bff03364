import type { FactorCode, CauseCode } from '../diagnosis/verdict.js';
import type { Platform, Subject } from '../diagnosis/evidence.js';
import type { Edit } from './edit.js';

/** One field that a proposal changes, before and after, as a person would read it. */
export interface Change {
  /** Path of the setting: `spec.template.spec.containers[app].resources.limits.memory`, `MemorySize`, `NODE_OPTIONS`. */
  field: string;
  before: string | null;
  after: string;
}

/** What kind of fix this is. Stable strings (stored, and shown as button ids later). */
export type ProposalAction =
  | 'raise_memory_limit'
  | 'set_memory_limit'
  | 'requests_equal_limits'
  | 'set_runtime_heap'
  | 'set_gomemlimit'
  | 'set_jvm_ram_percentage'
  | 'reduce_workers'
  | 'raise_grace_period'
  | 'fix_probe'
  | 'set_hard_memory'
  | 'raise_lambda_memory'
  | 'investigate_leak'
  /** Advice: the process must exit on SIGTERM within the grace period (a longer grace alone only delays the kill). */
  | 'handle_sigterm'
  /** Advice: the node/host itself needs memory headroom (host_oom, eviction). */
  | 'add_host_headroom';

export interface Proposal {
  /** Stable within a verdict: `<action>:<platform>` plus a container name where one applies. */
  id: string;
  action: ProposalAction;
  platform: Platform;
  target: Subject;
  title: string;
  changes: Change[];
  /** Why this helps, citing the cause/factor. */
  why: string;
  risk: string;
  /** Equivalent command a person could run by hand. */
  command: string;
  /** Order: lower first. Runtime fixes come before bigger limits where a bigger limit only moves the cliff. */
  priority: number;
  /** The cause or factor this answers. */
  addresses: (CauseCode | FactorCode)[];
  /** Executable by why137 later (false for advice such as investigate_leak). */
  executable: boolean;
  /** What an executor applies; present on every executable proposal. */
  edit?: Edit;
}
