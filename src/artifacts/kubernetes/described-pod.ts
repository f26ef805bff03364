/** What `kubectl describe pod` said about one pod, with the line each fact was on. Env values are never stored. */
export interface DescribedPod {
  name: string;
  nameLine: number;
  namespace?: string;
  node?: string;
  startTime?: string;
  status?: { text: string; line: number };
  reason?: string;
  message?: string;
  deletionGracePeriodSeconds?: number;
  controlledBy?: string;
  qosClass?: { text: string; line: number };
  podLimits: Record<string, string>;
  podRequests: Record<string, string>;
  podResourcesLine?: number;
  conditions: { type: string; status: string }[];
  containers: DescribedContainer[];
  events: { line: number; type: string; reason: string; age: string; from: string; message: string }[];
  sawEvents: boolean;
}

/** One container block of `kubectl describe pod`. */
export interface DescribedContainer {
  name: string;
  line: number;
  group: 'init' | 'app' | 'ephemeral';
  containerId?: string;
  image?: string;
  command: string[];
  args: string[];
  state?: DescribedState;
  last?: DescribedState;
  restartCount?: number;
  limits: Record<string, string>;
  requests: Record<string, string>;
  limitsLine?: number;
  /** Names, and a literal value only until runtimeSettings has read it (cleared right after). */
  env: { name: string; value?: string }[];
  envLine?: number;
  settings?: import('../../diagnosis/evidence.js').RuntimeSettings;
}

/** A `State:` or `Last State:` block. */
export interface DescribedState {
  status: string;
  line: number;
  excerpt: string;
  reason?: string;
  message?: string;
  exitCode?: number;
  startedAt?: string;
  finishedAt?: string;
}
