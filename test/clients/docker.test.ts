import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createDockerClient } from '../../src/clients/docker.js';
import { configSchema } from '../../src/config/config-schema.js';
import { Why137Error } from '../../src/errors/why137-error.js';
import { classifyFault } from '../../src/runbooks/classify-fault.js';
import { describeWithComponents } from '../helpers/component.js';
import { startDockerd, type Dockerd } from '../helpers/dockerd.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

describe('createDockerClient configuration errors', () => {
  test('a host name missing from docker.hosts names the key to add and the ones configured', () => {
    const config = configSchema.parse({ docker: { hosts: { a: { url: 'unix:///var/run/docker.sock' } } } });
    expect(() => createDockerClient('b', config, {})).toThrow(Why137Error);
    expect(() => createDockerClient('b', config, {})).toThrow('docker host b is not configured: add docker.hosts.b with its url (unix://, ssh://user@host or tcp://host:2376); configured: a');
  });

  test('DOCKER_HOST=ssh://… is refused: keys and known_hosts come from a docker.hosts entry', () => {
    expect(() => createDockerClient(undefined, configSchema.parse({}), { DOCKER_HOST: 'ssh://ops@build-1' })).toThrow(/^DOCKER_HOST is ssh:\/\/ops@build-1: ssh:\/\/ engines need a key and known_hosts; add a docker\.hosts entry/);
  });

  test('ssh:// without privateKeyFile, and TLS files that do not exist, are config errors', () => {
    const config = configSchema.parse({ docker: { hosts: {
      s: { url: 'ssh://ops@build-1' },
      t: { url: 'tcp://build-1:2376', tls: { ca: '/nonexistent/ca.pem', cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' } },
    } } });
    expect(() => createDockerClient('s', config, {})).toThrow('docker.hosts.s: ssh:// needs privateKeyFile (why137 does not use ssh-agent or passwords)');
    expect(() => createDockerClient('t', config, {})).toThrow('docker.hosts.t.tls.ca /nonexistent/ca.pem: no such file; point it at the PEM file');
  });
});

describeWithComponents('createDockerClient against a real dockerd', ['dockerd', 'docker', 'busybox'], () => {
  let d: Dockerd;
  beforeAll(async () => {
    d = await startDockerd();
    expect((await d.docker(['run', '--name', 'seen', d.image, 'true'])).code).toBe(0);
  }, 120_000);
  afterAll(async () => { await d?.stop(); }, 60_000);

  test('without a host: the injected DOCKER_HOST, never process.env’s', async () => {
    const saved = process.env.DOCKER_HOST;
    // docker-modem reads process.env itself; a stale value there must not redirect the client.
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    try {
      const docker = createDockerClient(undefined, configSchema.parse({}), { DOCKER_HOST: `unix://${d.socket}` });
      expect(String(await docker.ping())).toBe('OK');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved;
    }
  });

  describeWithComponents('over ssh:// (docker system dial-stdio through a real sshd)', ['sshd', 'ssh-keygen'], () => {
    let s: Sshd;
    beforeAll(async () => {
      // sshd hands the session DOCKER_HOST, so the remote `docker system dial-stdio` reaches the private daemon.
      s = await startSshd({ extraConfig: [`SetEnv DOCKER_HOST=unix://${d.socket}`] });
    }, 30_000);
    afterAll(async () => { await s?.stop(); });

    test('inspects a container with the configured key, the host key checked', async () => {
      const config = configSchema.parse({ docker: { hosts: { remote: { url: `ssh://root@127.0.0.1:${s.port}`, privateKeyFile: s.root.privateKeyFile, knownHosts: s.knownHosts } } } });
      const docker = createDockerClient('remote', config, { HOME: '/nonexistent-home' });
      const info = await docker.getContainer('seen').inspect();
      expect(info.Name).toBe('/seen');
      expect(readFileSync(s.logFile, 'utf8')).toMatch(/Accepted publickey for root from 127\.0\.0\.1/);
    }, 30_000);

    test('a host key other than the known one is refused with a one-line denied error', async () => {
      const other = await s.newKey('docker_impostor');
      const knownHosts = path.join(s.dir, 'known_hosts_docker_other');
      writeFileSync(knownHosts, `[127.0.0.1]:${s.port} ${other.publicKey}\n`);
      const config = configSchema.parse({ docker: { hosts: { remote: { url: `ssh://root@127.0.0.1:${s.port}`, privateKeyFile: s.root.privateKeyFile, knownHosts } } } });
      const err = await createDockerClient('remote', config, {}).ping().catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/^host key of \[127\.0\.0\.1\]:\d+ \(SHA256:\S+\) does not match .*known_hosts_docker_other; refusing to connect/);
      expect(classifyFault(err).fault).toBe('denied');
    }, 30_000);
  });

  describeWithComponents('over tcp:// with TLS (a TLS front end with client-certificate auth before the daemon’s socket)', ['openssl'], () => {
    let dir: string;
    let server: TlsServer;
    let port: number;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      dir = mkdtempSync('/tmp/w137-tls-');
      const ssl = (args: string[]) => { const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' }); if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`); };
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
      for (const ca of ['ca', 'other-ca']) ssl(['req', '-x509', ...ec, '-keyout', `${ca}-key.pem`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=why137-test-${ca}`]);
      writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
      writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
      for (const who of ['server', 'client']) {
        ssl(['req', ...ec, '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? '127.0.0.1' : 'why137'}`]);
        ssl(['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${who}-cert.pem`, '-days', '1', '-extfile', `${who}.ext`]);
      }
      const file = (f: string) => readFileSync(path.join(dir, f));
      // Like dockerd --tlsverify: only clients with a certificate from our CA get through.
      server = createTlsServer({ key: file('server-key.pem'), cert: file('server-cert.pem'), ca: file('ca.pem'), requestCert: true, rejectUnauthorized: true }, (tls) => {
        const upstream = connect(d.socket);
        sockets.push(tls, upstream);
        tls.on('error', () => upstream.destroy());
        upstream.on('error', () => tls.destroy());
        tls.pipe(upstream).pipe(tls);
      });
      server.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    }, 60_000);
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    test('a docker.hosts entry with tls ca/cert/key reaches the engine', async () => {
      const config = configSchema.parse({ docker: { hosts: { tls: { url: `tcp://127.0.0.1:${port}`, tls: { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'client-cert.pem'), key: path.join(dir, 'client-key.pem') } } } } });
      const info = await createDockerClient('tls', config, {}).getContainer('seen').inspect();
      expect(info.Name).toBe('/seen');
    });

    test('DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH, as the docker CLI reads them', async () => {
      const certs = mkdtempSync('/tmp/w137-certs-');
      try {
        writeFileSync(path.join(certs, 'ca.pem'), readFileSync(path.join(dir, 'ca.pem')));
        writeFileSync(path.join(certs, 'cert.pem'), readFileSync(path.join(dir, 'client-cert.pem')));
        writeFileSync(path.join(certs, 'key.pem'), readFileSync(path.join(dir, 'client-key.pem')));
        const docker = createDockerClient(undefined, configSchema.parse({}), { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
        expect(String(await docker.ping())).toBe('OK');
      } finally {
        rmSync(certs, { recursive: true, force: true });
      }
    });

    test('a server certificate from another CA is refused', async () => {
      const config = configSchema.parse({ docker: { hosts: { tls: { url: `tcp://127.0.0.1:${port}`, tls: { ca: path.join(dir, 'other-ca.pem'), cert: path.join(dir, 'client-cert.pem'), key: path.join(dir, 'client-key.pem') } } } } });
      const err = await createDockerClient('tls', config, {}).ping().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/) });
    });
  });
});
