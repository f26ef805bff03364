import { existsSync, readFileSync } from 'node:fs';
import { describeWithComponents } from './component.js';
import { startDockerd, type Dockerd } from './dockerd.js';

describeWithComponents('startDockerd (private dockerd harness)', ['dockerd', 'docker', 'busybox'], () => {
  let d: Dockerd;
  beforeAll(async () => { d = await startDockerd(); });
  afterAll(async () => { await d?.stop(); });

  test('serves its own socket with the busybox image', async () => {
    const images = await d.docker(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(images.code).toBe(0);
    expect(images.stdout.split('\n')).toContain(d.image);
  });

  test('runs a container from the image', async () => {
    const r = await d.docker(['run', '--rm', d.image, 'sh', '-c', 'echo hello; exit 7']);
    expect(r.stdout.trim()).toBe('hello');
    expect(r.code).toBe(7);
  });

  test("dockerd's own log is kept: a stop that times out is escalated there", async () => {
    const run = await d.docker(['run', '-d', '--name', 'ignores-term', d.image, 'sh', '-c', 'trap "" TERM; while true; do sleep 1; done']);
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect((await d.docker(['stop', '-t', '1', 'ignores-term'])).code).toBe(0);
    const log = readFileSync(d.logFile, 'utf8');
    expect(log).toContain('API listen on');
    expect(log).toMatch(new RegExp(`failed to exit within 1s of signal 15 - using the force" container=${id}`));
  });

  test('two daemons run side by side and stop cleans up', async () => {
    const other = await startDockerd();
    try {
      expect(other.socket).not.toBe(d.socket);
      const r = await other.docker(['run', '-d', other.image, 'sleep', '300']);
      expect(r.code).toBe(0);
      const ps = await d.docker(['ps', '-q']);
      expect(ps.stdout.trim()).toBe('');
    } finally {
      await other.stop();
    }
    expect(existsSync(other.root)).toBe(false);
    await other.stop(); // idempotent
  });
});
