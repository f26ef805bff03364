/** The CPU and memory requests and limits of one container (or of a whole pod), as numbers (cores, bytes). */
export interface ContainerResources {
  /** `app` (spec.containers), `init` (a run-to-completion init container), `sidecar` (init with restartPolicy Always). */
  role: 'app' | 'init' | 'sidecar';
  requests: { cpu?: number; memory?: number };
  limits: { cpu?: number; memory?: number };
}
