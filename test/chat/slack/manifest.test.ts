import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../helpers/fixture-path.js';

interface Manifest {
  display_information: { name: string; description: string; long_description: string };
  features: { bot_user: { display_name: string }; slash_commands: { command: string; url: string; usage_hint: string; description: string }[] };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; event_subscriptions: { request_url: string; bot_events: string[] }; socket_mode_enabled: boolean };
}

// The Web API methods the bot calls (src/chat/slack, src/server) and the bot scope each needs; none is needed for views.* and auth.test.
const METHOD_SCOPES: Record<string, string | null> = {
  'chat.postMessage': 'chat:write', 'chat.update': 'chat:write', 'chat.postEphemeral': 'chat:write', 'chat.delete': 'chat:write',
  'views.open': null, 'views.update': null, 'usergroups.users.list': 'usergroups:read', 'auth.test': null,
};

describe('manifest.yml', () => {
  const text = readFileSync(path.join(projectRoot, 'manifest.yml'), 'utf8');
  const m = parse(text) as Manifest;

  test('the /why137 command with its usage hint, interactivity, Slack-events URLs, Socket Mode on', () => {
    expect(m.features.slash_commands).toEqual([expect.objectContaining({
      command: '/why137', url: 'https://YOUR-HOST/slack/events',
      usage_hint: '<k8s:ns/pod | ecs:cluster/task | docker:container | lambda:function | help>',
    })]);
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://YOUR-HOST/slack/events' });
    expect(m.settings.event_subscriptions.request_url).toBe('https://YOUR-HOST/slack/events');
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.display_information.description.length).toBeLessThanOrEqual(140);
    expect(m.display_information.long_description.length).toBeGreaterThanOrEqual(175);
  });

  test('the fewest bot scopes: exactly those the methods the bot calls need, each justified in a comment', () => {
    const needed = [...new Set(Object.values(METHOD_SCOPES).filter((s): s is string => s !== null)), 'commands'].sort();
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(needed);
    expect(m.oauth_config.scopes.user).toBeUndefined();
    for (const scope of m.oauth_config.scopes.bot) {
      const line = text.split('\n').findIndex((l) => l.trim() === `- ${scope}`);
      expect(text.split('\n')[line - 1]!.trim().startsWith('#')).toBe(true);
    }
    // Events that need no scope: the bot only logs them.
    expect(m.settings.event_subscriptions.bot_events.sort()).toEqual(['app_uninstalled', 'tokens_revoked']);
  });
});
