import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from '../../src/config/read-config.js';
import { openStore } from '../../src/store/open-store.js';
import { Why137Error } from '../../src/errors/why137-error.js';

const dir = mkdtempSync(path.join(tmpdir(), 'why137-open-store-'));

describe('openStore and store.path', () => {
  test('default: ./why137.sqlite in the working directory', () => {
    expect(readConfig({}, undefined).store.path).toBe(path.resolve('why137.sqlite'));
  });

  test('WHY137_DATA_DIR holds the default file and any relative store.path; an absolute path wins', () => {
    expect(readConfig({ WHY137_DATA_DIR: '/var/lib/why137' }).store.path).toBe('/var/lib/why137/why137.sqlite');
    const relative = path.join(dir, 'relative.yaml');
    writeFileSync(relative, 'store: { path: state/bot.sqlite }\n');
    expect(readConfig({ WHY137_DATA_DIR: '/data' }, relative).store.path).toBe('/data/state/bot.sqlite');
    // Without WHY137_DATA_DIR, a path the file names is relative to the file, like every path in it.
    expect(readConfig({}, relative).store.path).toBe(path.join(dir, 'state/bot.sqlite'));
    const absolute = path.join(dir, 'absolute.yaml');
    writeFileSync(absolute, 'store: { path: /srv/why137.sqlite }\n');
    expect(readConfig({ WHY137_DATA_DIR: '/data' }, absolute).store.path).toBe('/srv/why137.sqlite');
  });

  test('an unknown key under store is refused like any other', () => {
    const f = path.join(dir, 'unknown.yaml');
    writeFileSync(f, 'store: { url: "postgres://x" }\n');
    expect(() => readConfig({}, f)).toThrow(/store\.url: unknown key/);
  });

  test('opens the SQLite store at the configured path; a missing directory is one line naming it', () => {
    const config = readConfig({ WHY137_DATA_DIR: dir });
    const store = openStore(config);
    expect(store.writable()).toBe(true);
    store.close();
    const bad = readConfig({ WHY137_DATA_DIR: path.join(dir, 'missing') });
    let e: unknown;
    try { openStore(bad); } catch (err) { e = err; }
    expect(e).toBeInstanceOf(Why137Error);
    expect((e as Why137Error).message).toBe(`${path.join(dir, 'missing', 'why137.sqlite')}: directory ${path.join(dir, 'missing')} does not exist; expected store.path to name a why137 store file, or a new file in an existing, writable directory`);
  });
});
