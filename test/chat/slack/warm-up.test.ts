import { warmUp } from '../../../src/server/warm-up.js';

test('the start-up warm-up takes the whole diagnosis path (parsers, diagnose, plan, Block Kit) to a cgroup_oom verdict', async () => {
  expect(await warmUp()).toBe('cgroup_oom');
});
