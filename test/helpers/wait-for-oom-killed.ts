/**
 * Waits until the engine records State.OOMKilled for a container that has exited. NOTE: dockerd sets it
 * when containerd's OOM event arrives, which on a loaded machine can come after the exit (`die` before
 * `oom`), so an inspect straight after `docker wait` may still say false.
 */
export async function waitForOomKilled(docker: (args: string[]) => Promise<string>, name: string, tries = 50): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if ((await docker(['inspect', '-f', '{{.State.OOMKilled}}', name])).trim() === 'true') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
