import type { WebClient } from '@slack/web-api';

// Group membership changes rarely; a minute keeps two approvers clicking together to one API call.
const TTL_MS = 60_000;

/** Members of a Slack user group via usergroups.users.list, cached for a minute per group (failures are not cached). */
export function createGroupMembers(web: WebClient, now: () => Date = () => new Date()): (group: string) => Promise<string[]> {
  const cache = new Map<string, { at: number; users: Promise<string[]> }>();
  return (group) => {
    const hit = cache.get(group);
    const t = now().getTime();
    if (hit && t - hit.at < TTL_MS) return hit.users;
    const users = web.usergroups.users.list({ usergroup: group }).then((r) => r.users ?? []);
    cache.set(group, { at: t, users });
    users.catch(() => { if (cache.get(group)?.users === users) cache.delete(group); });
    return users;
  };
}
