import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { knownHostKeys } from '../../src/clients/known-host-keys.js';
import { globMatch } from '../../src/clients/glob-match.js';
import { describeWithComponents } from '../helpers/component.js';

// Two real ed25519 public keys (ssh-keygen output), so blobs carry their own type as on the wire.
const KEY_A = 'AAAAC3NzaC1lZDI1NTE5AAAAICNeSdM+tzJtTLCh99BS9R2sJoCupf1L04Q5/EjhwfNb';
const KEY_B = 'AAAAC3NzaC1lZDI1NTE5AAAAIB04dm8Wcax4ybmLWYOCy/Hj7hhcpH3l/eq9JTwfKuLP';

describe('knownHostKeys (OpenSSH known_hosts)', () => {
  test('plain names, [host]:port for other ports, wildcards and negation', () => {
    const text = [
      '# comment',
      '',
      `node-a,10.0.0.5 ssh-ed25519 ${KEY_A}`,
      `[node-a]:2222 ssh-ed25519 ${KEY_B}`,
      `ip-10-0-*,!ip-10-0-9-9 ssh-ed25519 ${KEY_B} fleet`,
    ].join('\n');
    expect(knownHostKeys(text, 'node-a', 22).map((k) => k.key.toString('base64'))).toEqual([KEY_A]);
    expect(knownHostKeys(text, '10.0.0.5', 22)).toHaveLength(1);
    expect(knownHostKeys(text, 'node-a', 2222).map((k) => k.key.toString('base64'))).toEqual([KEY_B]);
    expect(knownHostKeys(text, 'NODE-A', 22)).toHaveLength(1);
    expect(knownHostKeys(text, 'ip-10-0-1-2', 22)).toHaveLength(1);
    expect(knownHostKeys(text, 'ip-10-0-9-9', 22)).toHaveLength(0);
    expect(knownHostKeys(text, 'node-b', 22)).toHaveLength(0);
  });

  test('@revoked is kept as revoked, @cert-authority is skipped, a type that lies about the blob is ignored', () => {
    const text = [
      `@revoked node-a ssh-ed25519 ${KEY_B}`,
      `@cert-authority *.example.com ssh-ed25519 ${KEY_B}`,
      `node-a ssh-rsa ${KEY_A}`,
    ].join('\n');
    expect(knownHostKeys(text, 'node-a', 22)).toEqual([{ type: 'ssh-ed25519', key: Buffer.from(KEY_B, 'base64'), revoked: true }]);
    expect(knownHostKeys(text, 'x.example.com', 22)).toEqual([]);
  });

  test('globMatch is anchored and treats only * and ? as wildcards', () => {
    expect(globMatch('ip-10-0-*', 'ip-10-0-3-4.ec2.internal')).toBe(true);
    expect(globMatch('node-?', 'node-1')).toBe(true);
    expect(globMatch('node-?', 'node-12')).toBe(false);
    expect(globMatch('a.b', 'aXb')).toBe(false);
    expect(globMatch('node', 'node-1')).toBe(false);
  });
});

describeWithComponents('knownHostKeys with files written by ssh-keygen', ['ssh-keygen'], () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync('/tmp/w137-kh-'); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  test('hashed entries (ssh-keygen -H) match the host and port they were made for', () => {
    const file = path.join(dir, 'known_hosts');
    writeFileSync(file, `node-a ssh-ed25519 ${KEY_A}\n[10.1.2.3]:2200 ssh-ed25519 ${KEY_B}\n`);
    const r = spawnSync('ssh-keygen', ['-H', '-f', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const hashed = readFileSync(file, 'utf8');
    expect(hashed).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /m);
    expect(hashed).not.toContain('node-a');
    expect(knownHostKeys(hashed, 'node-a', 22).map((k) => k.key.toString('base64'))).toEqual([KEY_A]);
    expect(knownHostKeys(hashed, '10.1.2.3', 2200).map((k) => k.key.toString('base64'))).toEqual([KEY_B]);
    expect(knownHostKeys(hashed, '10.1.2.3', 22)).toEqual([]);
    expect(knownHostKeys(hashed, 'node-b', 22)).toEqual([]);
  });
});
