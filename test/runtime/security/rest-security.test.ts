/**
 * Issue #13 items 1, 2, 3 and 6, attacked as someone on the same network would: the bind address
 * and banner, anonymous and wrong-role calls, CSRF with text/plain and form bodies, CORS, plain
 * HTTP on an https listener, request size and rate limits, admin.listeners, URL passwords in every
 * response, and the audit log. Every log line and response body is captured and searched for the
 * planted secrets at the end.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { WORKER_CONFIG_DEF, WorkerConfig } from '../../../runtime/worker/worker-config.ts';
import { main } from '../../../cli/main.ts';
import { testPlugins } from '../../helpers/test-plugins.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createCapture } from './capture.ts';
import { makeCerts, type TestCerts } from './certs.ts';

const SECRETS = {
  urlPassword: 'PLANTED-url-pw-4711',
  paramPassword: 'PLANTED-param-pw-0815',
  mysqlPassword: 'PLANTED-mysql-pw-2323',
  jaasPassword: 'PLANTED-jaas-pw-9999',
  registryPassword: 'PLANTED-registry-pw-5150',
  userInfo: 'PLANTED-userinfo-pw-1234',
  passwordKey: 'PLANTED-password-key-777',
  sqlServerPassword: 'PLANTED-sqlserver-pw-31337',
  kafkaPassword: 'PLANTED-kafka-pw-606',
  adminPassword: 'PLANTED-admin-login-pw-1',
  keystorePassword: 'PLANTED-keystore-pw-42',
};

const secretConfig = (topic: string) => ({
  'connector.class': 'test.CounterSourceConnector',
  topic,
  'tasks.max': '1',
  'connection.url': `jdbc:postgresql://app:${SECRETS.urlPassword}@db.example:5432/app?sslmode=require&password=${SECRETS.paramPassword}`,
  'database.url': `mysql://root:${SECRETS.mysqlPassword}@db.example:3306/shop`,
  'sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${SECRETS.jaasPassword}";`,
  'kafka.bootstrap.servers': `SASL_SSL://client:${SECRETS.kafkaPassword}@kafka.example:9093`,
  'schema.registry.url': `https://reg:${SECRETS.registryPassword}@registry.example:8081`,
  'basic.auth.user.info': `reg:${SECRETS.userInfo}`,
  'db.password': SECRETS.passwordKey,
  'sqlserver.url': `jdbc:sqlserver://db.example:1433;databaseName=x;user=sa;password=${SECRETS.sqlServerPassword}`,
});

const capture = createCapture();
const dirs: string[] = [];
const workers: RunningWorker[] = [];
let certs: TestCerts;

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-sec-'));
  dirs.push(d);
  return d;
}

async function start(props: Record<string, string>): Promise<RunningWorker> {
  const w = await startStandaloneWorker(
    {
      'tributary.data.dir': path.join(tmp(), 'data'),
      'tributary.log.sync': 'os',
      listeners: 'http://127.0.0.1:0',
      ...props,
    },
    { plugins: testPlugins, logger: capture.logger },
  );
  workers.push(w);
  return w;
}

async function stop(w: RunningWorker): Promise<void> {
  await w.stop();
  workers.splice(workers.indexOf(w), 1);
}

const json = (body: unknown, extra: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...extra },
  body: JSON.stringify(body),
});

/** An https GET trusting only `ca` (undefined: the default trust store). */
function httpsRequest(
  url: string,
  ca: string | undefined,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ca: ca === undefined ? undefined : fs.readFileSync(ca), headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        capture.record(`GET ${url} -> ${res.statusCode}`, text);
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

let credentialsFile: string;
let tokensFile: string;

beforeAll(() => {
  const d = tmp();
  certs = makeCerts(path.join(d, 'certs'), SECRETS.keystorePassword);
  credentialsFile = path.join(d, 'credentials.properties');
  fs.writeFileSync(
    credentialsFile,
    [
      '# user: password, role',
      `alice: ${SECRETS.adminPassword}, admin`,
      'olga: operate-pw, operate',
      'rick: read-pw, read',
      'nora: no-role-pw',
    ].join('\n'),
  );
  tokensFile = path.join(d, 'tokens.properties');
  fs.writeFileSync(tokensFile, 'ci-bot: tok-operate-123, operate\n');
});

afterAll(async () => {
  for (const w of [...workers]) await w.stop().catch(() => undefined);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('listeners and banner', () => {
  it('the default listener is loopback only', () => {
    expect(WORKER_CONFIG_DEF.keys.get('listeners')?.defaultValue).toEqual(['http://127.0.0.1:8083']);
    expect(new WorkerConfig({}).listener).toEqual({ host: '127.0.0.1', port: 8083 });
    const quickstart = fs.readFileSync(
      new URL('../../../examples/quickstart/worker.properties', import.meta.url),
      'utf8',
    );
    expect(quickstart).toMatch(/^listeners=http:\/\/127\.0\.0\.1:8083$/m);
  });

  it('a loopback worker binds 127.0.0.1 and its banner says so, without a warning', async () => {
    const w = await start({});
    expect(w.listeners.bound[0].boundAddress).toBe('127.0.0.1');
    expect(w.listeners.banner.join('\n')).toMatch(
      /REST API at http:\/\/127\.0\.0\.1:\d+ \(reachable from this machine only\)/,
    );
    expect(w.listeners.banner.join('\n')).not.toMatch(/WARNING/);
    await stop(w);
  });

  it('an empty host binds every interface (as Kafka Connect) and the banner warns when unauthenticated', async () => {
    const open = await start({ listeners: 'http://:0' });
    expect(['::', '0.0.0.0']).toContain(open.listeners.bound[0].boundAddress);
    const banner = open.listeners.banner.join('\n');
    expect(banner).toMatch(/every network interface \((::|0\.0\.0\.0) port \d+\)/);
    expect(banner).toMatch(/WARNING: the REST API is reachable from other machines and needs no credentials/);
    expect(capture.logLines.some((l) => l.includes('WARNING: the REST API is reachable'))).toBe(true);
    await stop(open);
    const secured = await start({ listeners: 'http://:0', 'rest.auth.credentials.file': credentialsFile });
    expect(secured.listeners.banner.join('\n')).not.toMatch(/WARNING/);
    expect(secured.listeners.banner.join('\n')).toMatch(/authentication required/);
    await stop(secured);
  });

  it('a port in use and a bad listener are one-line errors naming the listener and the fix (also through the CLI)', async () => {
    const w = await start({});
    const port = w.listeners.port;
    await expect(start({ listeners: `http://127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(
        `^listeners: http://127\\.0\\.0\\.1:${port}: port ${port} is already in use .*choose another port in listeners$`,
      ),
    );
    await expect(start({ listeners: 'ftp://127.0.0.1:0' })).rejects.toThrow(
      /listeners: "ftp:\/\/127\.0\.0\.1:0" uses the protocol ftp; only http and https listeners exist/,
    );
    await expect(start({ listeners: 'http//nonsense' })).rejects.toThrow(/listeners: cannot parse "http\/\/nonsense"/);

    const file = path.join(tmp(), 'worker.properties');
    fs.writeFileSync(
      file,
      `listeners=http://127.0.0.1:${port}\ntributary.data.dir=${path.join(path.dirname(file), 'data')}\n`,
    );
    let out = '';
    let err = '';
    const io = {
      stdout: { write: (s: string) => ((out += s), true) },
      stderr: { write: (s: string) => ((err += s), true) },
    } as never;
    expect(await main(['standalone', file], io)).toBe(1);
    expect(err).toMatch(
      new RegExp(`^Error: listeners: http://127\\.0\\.0\\.1:${port}: port ${port} is already in use[^\\n]*\\n$`),
    );
    expect(err).not.toMatch(/\bat .*\.ts:\d+/);
    capture.record('cli', out + err);
    await stop(w);
  });

  it('a startup error quoting a URL with a password prints it hidden', async () => {
    const file = path.join(tmp(), 'worker.properties');
    fs.writeFileSync(
      file,
      `listeners=http://127.0.0.1:0\nbootstrap.servers=SASL_SSL://client:${SECRETS.kafkaPassword}@127.0.0.1:1\ntributary.data.dir=${path.join(path.dirname(file), 'data')}\n`,
    );
    let err = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) } } as never;
    expect(await main(['standalone', file], io)).toBe(1);
    capture.record('cli startup error', err);
    expect(err).toMatch(/^Error: .*bootstrap\.servers.*SASL_SSL:\/\/client:\[hidden\]@127\.0\.0\.1:1/);
  }, 60_000);
});

describe('https listeners', () => {
  it('serves TLS from a PKCS12 keystore; plain HTTP on the https port gets no answer', async () => {
    const w = await start({
      listeners: 'https://127.0.0.1:0',
      'listeners.https.ssl.keystore.location': certs.p12,
      'listeners.https.ssl.keystore.password': certs.p12Password,
    });
    expect(w.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ok = await httpsRequest(`${w.url}/`, certs.caPem);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).version).toEqual(expect.any(String));
    // An untrusted client refuses the worker's certificate; a plain HTTP client gets nothing.
    await expect(httpsRequest(`${w.url}/`, undefined)).rejects.toThrow(/self-signed|unable to (get|verify)/i);
    await expect(
      fetch(`${w.url.replace('https:', 'http:')}/connectors`, {
        method: 'POST',
        ...json({ name: 'plain', config: secretConfig('plain') }),
      }),
    ).rejects.toThrow();
    expect((await httpsRequest(`${w.url}/connectors`, certs.caPem)).text).toBe('[]');
    await stop(w);
  });

  it('serves TLS from a PEM keystore (key and chain in one file)', async () => {
    const w = await start({
      listeners: 'https://127.0.0.1:0',
      'listeners.https.ssl.keystore.type': 'PEM',
      'listeners.https.ssl.keystore.location': certs.pemKeystore,
    });
    expect((await httpsRequest(`${w.url}/connectors`, certs.caPem)).status).toBe(200);
    await stop(w);
  });

  it('refuses a missing keystore, a wrong keystore password and JKS with the key and the fix', async () => {
    await expect(start({ listeners: 'https://127.0.0.1:0' })).rejects.toThrow(
      /ssl\.keystore\.location is not set: an https listener needs a keystore/,
    );
    await expect(
      start({
        listeners: 'https://127.0.0.1:0',
        'listeners.https.ssl.keystore.location': certs.p12,
        'listeners.https.ssl.keystore.password': 'wrong',
      }),
    ).rejects.toThrow(
      /listeners: https:\/\/127\.0\.0\.1:0: the TLS keystore cannot be used .*check ssl\.keystore\.location, ssl\.keystore\.password/,
    );
    await expect(
      start({
        listeners: 'https://127.0.0.1:0',
        'listeners.https.ssl.keystore.type': 'JKS',
        'listeners.https.ssl.keystore.location': certs.p12,
      }),
    ).rejects.toThrow(
      /listeners\.https\.ssl\.keystore\.type=JKS is not supported: use PKCS12 or PEM \(convert a JKS keystore with `keytool -importkeystore/,
    );
  });
});

describe('authentication and roles', () => {
  let w: RunningWorker;
  const as = (user: string, pw: string) => capture.auth(user, pw);
  beforeAll(async () => {
    w = await start({ 'rest.auth.credentials.file': credentialsFile, 'rest.auth.tokens.file': tokensFile });
  });

  it('anonymous and wrong-password calls get 401 with a Kafka Connect-style body', async () => {
    for (const [method, p] of [
      ['GET', '/connectors'],
      ['GET', '/'],
      ['POST', '/connectors'],
      ['DELETE', '/connectors/x'],
      ['GET', '/admin/loggers'],
      ['GET', '/metrics'],
    ]) {
      const anon = await capture.fetch(`${w.url}${p}`, {
        method,
        ...(method === 'POST' ? json({ name: 'anon', config: secretConfig('anon') }) : {}),
      });
      expect(anon.status, `${method} ${p}`).toBe(401);
      expect(anon.json).toEqual({
        error_code: 401,
        message: expect.stringMatching(/^User cannot access the resource/),
      });
      expect(anon.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    }
    expect((await capture.fetch(`${w.url}/connectors`, { headers: as('alice', 'wrong') })).status).toBe(401);
    expect((await capture.fetch(`${w.url}/connectors`, { headers: as('mallory', SECRETS.adminPassword) })).status).toBe(
      401,
    );
    expect(
      (await capture.fetch(`${w.url}/connectors`, { headers: { authorization: 'Bearer not-a-token' } })).status,
    ).toBe(401);
    expect((await capture.fetch(`${w.url}/connectors`, { headers: { authorization: 'Digest whatever' } })).status).toBe(
      401,
    );
    expect((await capture.fetch(`${w.url}/connectors`, { headers: as('alice', SECRETS.adminPassword) })).json).toEqual(
      [],
    );
  });

  it('read may GET but not change; operate may pause/resume/restart/stop but not create or delete; admin may all', async () => {
    const reader = as('rick', 'read-pw');
    const operator = as('olga', 'operate-pw');
    const admin = as('alice', SECRETS.adminPassword);
    const noRole = as('nora', 'no-role-pw');

    for (const who of [reader, noRole, operator, { authorization: 'Bearer tok-operate-123' }]) {
      const create = await capture.fetch(`${w.url}/connectors`, {
        method: 'POST',
        ...json({ name: 'roles', config: secretConfig('roles') }, who),
      });
      expect(create.status).toBe(403);
      expect(create.json).toEqual({
        error_code: 403,
        message: expect.stringMatching(/cannot POST \/connectors: it needs the role admin/),
      });
    }
    const created = await capture.fetch(`${w.url}/connectors`, {
      method: 'POST',
      ...json({ name: 'roles', config: secretConfig('roles') }, admin),
    });
    expect(created.status).toBe(201);

    expect((await capture.fetch(`${w.url}/connectors/roles/status`, { headers: reader })).status).toBe(200);
    expect((await capture.fetch(`${w.url}/connectors/roles/pause`, { method: 'PUT', headers: reader })).status).toBe(
      403,
    );
    expect((await capture.fetch(`${w.url}/connectors/roles/pause`, { method: 'PUT', headers: operator })).status).toBe(
      202,
    );
    expect(
      (
        await capture.fetch(`${w.url}/connectors/roles/resume`, {
          method: 'PUT',
          headers: { authorization: 'Bearer tok-operate-123' },
        })
      ).status,
    ).toBe(202);
    expect(
      (await capture.fetch(`${w.url}/connectors/roles/restart`, { method: 'POST', headers: operator })).status,
    ).toBe(204);
    expect(
      (
        await capture.fetch(`${w.url}/connectors/roles/config`, {
          method: 'PUT',
          ...json(secretConfig('roles'), operator),
        })
      ).status,
    ).toBe(403);
    expect((await capture.fetch(`${w.url}/connectors/roles`, { method: 'DELETE', headers: operator })).status).toBe(
      403,
    );
    expect((await capture.fetch(`${w.url}/admin/loggers`, { headers: operator })).status).toBe(403);
    expect((await capture.fetch(`${w.url}/admin/loggers`, { headers: admin })).status).toBe(200);
    expect((await capture.fetch(`${w.url}/connectors/roles/stop`, { method: 'PUT', headers: operator })).status).toBe(
      204,
    );
    expect(
      (await capture.fetch(`${w.url}/connectors/roles/offsets`, { method: 'DELETE', headers: operator })).status,
    ).not.toBe(403);
    expect((await capture.fetch(`${w.url}/connectors/roles`, { method: 'DELETE', headers: admin })).status).toBe(204);
  });

  it('the CLI passes --user, --token and TRIBUTARY_AUTH', async () => {
    const run = async (args: string[]) => {
      let out = '';
      let err = '';
      const io = {
        stdout: { write: (s: string) => ((out += s), true) },
        stderr: { write: (s: string) => ((err += s), true) },
      } as never;
      const code = await main(args, io);
      capture.record(`cli ${args[0]} ${args[1]}`, out + err);
      return { code, out, err };
    };
    const anon = await run(['connectors', 'list', '--url', w.url]);
    expect(anon.code).toBe(1);
    expect(anon.err).toMatch(/"error_code": 401/);
    expect((await run(['connectors', 'list', '--url', w.url, '--user', 'rick:read-pw'])).code).toBe(0);
    expect((await run(['connectors', 'list', '--url', w.url, '--token', 'tok-operate-123'])).code).toBe(0);
    const saved = process.env.TRIBUTARY_AUTH;
    try {
      process.env.TRIBUTARY_AUTH = 'rick:read-pw';
      expect((await run(['connectors', 'list', '--url', w.url])).code).toBe(0);
      process.env.TRIBUTARY_AUTH = 'Bearer tok-operate-123';
      expect((await run(['connectors', 'list', '--url', w.url])).code).toBe(0);
      process.env.TRIBUTARY_AUTH = 'rick:wrong';
      expect((await run(['connectors', 'list', '--url', w.url])).code).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.TRIBUTARY_AUTH;
      else process.env.TRIBUTARY_AUTH = saved;
    }
  });

  it('a credentials file with an unknown role, or one that cannot be read, stops the worker with the key and the fix', async () => {
    const bad = path.join(tmp(), 'bad.properties');
    fs.writeFileSync(bad, 'bob: pw, superuser\n');
    await expect(start({ 'rest.auth.credentials.file': bad })).rejects.toThrow(
      /rest\.auth\.credentials\.file: line 1 of .* \(bob\) names the unknown role "superuser"; use read, operate or admin/,
    );
    await expect(start({ 'rest.auth.credentials.file': '/nonexistent/creds' })).rejects.toThrow(
      /rest\.auth\.credentials\.file: cannot read \/nonexistent\/creds \(ENOENT\)/,
    );
  });

  it('every mutating call leaves an audit line (who, what, when, status) on tributary.audit', async () => {
    const admin = as('alice', SECRETS.adminPassword);
    await capture.fetch(`${w.url}/connectors`, {
      method: 'POST',
      ...json({ name: 'audited', config: secretConfig('audited') }, admin),
    });
    await capture.fetch(`${w.url}/connectors/audited/pause`, { method: 'PUT', headers: as('rick', 'read-pw') });
    await capture.fetch(`${w.url}/connectors/audited`, { method: 'DELETE' });
    await capture.fetch(`${w.url}/connectors/audited`, { method: 'DELETE', headers: admin });
    await capture.fetch(`${w.url}/connectors`, { headers: admin });
    const audit = capture
      .linesOf('tributary.audit')
      .filter(
        (l) =>
          (String(l.path).startsWith('/connectors') && String(l.path).includes('audited')) ||
          (l.method === 'POST' && l.path === '/connectors' && l.status === 201 && l.user === 'alice'),
      );
    const summary = audit.map((l) => `${String(l.user)} ${String(l.method)} ${String(l.path)} ${String(l.status)}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'alice POST /connectors 201',
        'rick PUT /connectors/audited/pause 403',
        'unauthenticated DELETE /connectors/audited 401',
        'alice DELETE /connectors/audited 204',
      ]),
    );
    for (const l of audit) {
      expect(l).toMatchObject({ msg: 'REST call', remote: expect.any(String), time: expect.any(Number) });
    }
    expect(capture.linesOf('tributary.audit').some((l) => l.method === 'GET')).toBe(false);
  });
});

describe('request hygiene', () => {
  let open: RunningWorker;
  beforeAll(async () => {
    open = await start({});
  });

  it('CSRF: text/plain, form-urlencoded and multipart bodies get 415 and create nothing', async () => {
    const body = JSON.stringify({ name: 'csrf', config: secretConfig('csrf') });
    const attempts: Array<[string, RequestInit]> = [
      ['text/plain', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }],
      ['text/plain;charset=UTF-8', { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body }],
      ['form-urlencoded', { method: 'POST', body: new URLSearchParams({ [body]: '' }) }],
      [
        'multipart',
        {
          method: 'POST',
          body: (() => {
            const f = new FormData();
            f.set('x', body);
            return f;
          })(),
        },
      ],
      ['no content type', { method: 'POST', body: new Blob([body]) }],
    ];
    for (const [what, init] of attempts) {
      const r = await capture.fetch(`${open.url}/connectors`, init);
      expect(r.status, what).toBe(415);
      expect(r.json).toEqual({ error_code: 415, message: 'HTTP 415 Unsupported Media Type' });
    }
    const put = await capture.fetch(`${open.url}/connectors/csrf/config`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(secretConfig('csrf')),
    });
    expect(put.status).toBe(415);
    expect((await capture.fetch(`${open.url}/connectors`)).json).toEqual([]);
    // JSON and empty bodies still work, as Kafka Connect.
    const ok = await capture.fetch(`${open.url}/connectors`, {
      method: 'POST',
      ...json({ name: 'hygiene', config: secretConfig('hygiene') }),
    });
    expect(ok.status).toBe(201);
    expect((await capture.fetch(`${open.url}/connectors/hygiene/pause`, { method: 'PUT' })).status).toBe(202);
    expect(
      (
        await capture.fetch(`${open.url}/connectors/hygiene/resume`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json; charset=utf-8' },
        })
      ).status,
    ).toBe(202);
  });

  it('CORS is off by default: no preflight answer, no Access-Control headers', async () => {
    const pre = await capture.fetch(`${open.url}/connectors`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.status).toBeGreaterThanOrEqual(400);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const get = await capture.fetch(`${open.url}/connectors`, { headers: { origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS answers only the configured origins and methods', async () => {
    const w = await start({
      'access.control.allow.origin': 'https://ui.example',
      'access.control.allow.methods': 'GET,PUT',
    });
    const pre = await capture.fetch(`${w.url}/connectors`, {
      method: 'OPTIONS',
      headers: { origin: 'https://ui.example', 'access-control-request-method': 'PUT' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://ui.example');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,PUT');
    const evil = await capture.fetch(`${w.url}/connectors`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await capture.fetch(`${w.url}/connectors`, { headers: { origin: 'https://ui.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBe('https://ui.example');
    await stop(w);
  });

  it('a body over rest.request.max.bytes gets 413; past the rate limit a client gets 429 with Retry-After', async () => {
    const w = await start({
      'rest.request.max.bytes': '2048',
      'rest.rate.limit.requests.per.second': '0.5',
      'rest.rate.limit.burst': '4',
    });
    const big = await capture.fetch(`${w.url}/connectors`, {
      method: 'POST',
      ...json({ name: 'big', config: { ...secretConfig('big'), filler: 'x'.repeat(4096) } }),
    });
    expect(big.status).toBe(413);
    expect(big.json.error_code).toBe(413);
    // The 413 above took one of the 4 requests of the burst.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await capture.fetch(`${w.url}/connectors`)).status);
    const limited = await capture.fetch(`${w.url}/connectors`);
    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({
      error_code: 429,
      message: expect.stringMatching(/Too many requests .*rest\.rate\.limit\.requests\.per\.second/),
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await stop(w);
  });

  it('admin.listeners moves /admin to its own listener, and an empty value disables it', async () => {
    const moved = await start({ 'admin.listeners': 'http://127.0.0.1:0' });
    const adminUrl = moved.listeners.bound.find((l) => l.kind === 'admin')!.url;
    expect((await capture.fetch(`${moved.url}/admin/loggers`)).status).toBe(404);
    expect((await capture.fetch(`${adminUrl}/admin/loggers`)).status).toBe(200);
    expect((await capture.fetch(`${adminUrl}/connectors`)).status).toBe(404);
    expect((await capture.fetch(`${moved.url}/connectors`)).status).toBe(200);
    expect(moved.listeners.banner.join('\n')).toMatch(/Admin REST API at http:\/\/127\.0\.0\.1:\d+/);
    await stop(moved);
    const disabled = await start({ 'admin.listeners': '' });
    expect(disabled.listeners.bound).toHaveLength(1);
    const r = await capture.fetch(`${disabled.url}/admin/loggers`);
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ error_code: 404, message: 'HTTP 404 Not Found: GET /admin/loggers' });
    await stop(disabled);
  });
});

describe('secrets in URLs and configs', () => {
  let w: RunningWorker;
  const name = 'secrets';
  beforeAll(async () => {
    w = await start({});
    const r = await capture.fetch(`${w.url}/connectors`, {
      method: 'POST',
      ...json({ name, config: secretConfig('secrets') }),
    });
    expect(r.status).toBe(201);
    await waitFor(
      async () => (await capture.fetch(`${w.url}/connectors/${name}/status`)).json?.tasks?.[0]?.state === 'RUNNING',
    );
  });

  it('GET config, connector info, expand=info, tasks and validate hide URL passwords and secret keys', async () => {
    const config = (await capture.fetch(`${w.url}/connectors/${name}/config`)).json;
    expect(config['connection.url']).toBe(
      'jdbc:postgresql://app:[hidden]@db.example:5432/app?sslmode=require&password=[hidden]',
    );
    expect(config['database.url']).toBe('mysql://root:[hidden]@db.example:3306/shop');
    expect(config['kafka.bootstrap.servers']).toBe('SASL_SSL://client:[hidden]@kafka.example:9093');
    expect(config['schema.registry.url']).toBe('https://reg:[hidden]@registry.example:8081');
    expect(config['sqlserver.url']).toBe('jdbc:sqlserver://db.example:1433;databaseName=x;user=sa;password=[hidden]');
    for (const k of ['sasl.jaas.config', 'basic.auth.user.info', 'db.password']) expect(config[k]).toBe('[hidden]');

    await capture.fetch(`${w.url}/connectors/${name}`);
    await capture.fetch(`${w.url}/connectors?expand=info&expand=status`);
    const tasks = (await capture.fetch(`${w.url}/connectors/${name}/tasks`)).json;
    expect(tasks[0].config['connection.url']).toContain('app:[hidden]@db.example');
    const validate = await capture.fetch(`${w.url}/connector-plugins/test.CounterSourceConnector/config/validate`, {
      method: 'PUT',
      ...json(secretConfig('v')),
    });
    expect(validate.status).toBe(200);
    const bad = await capture.fetch(`${w.url}/connectors`, {
      method: 'POST',
      ...json({ name: 'bad', config: { ...secretConfig('bad'), 'tasks.max': '0' } }),
    });
    expect(bad.status).toBe(400);
  });

  it('PUTting back a config as GET returned it keeps the stored passwords', async () => {
    const shown = (await capture.fetch(`${w.url}/connectors/${name}/config`)).json;
    const put = await capture.fetch(`${w.url}/connectors/${name}/config`, {
      method: 'PUT',
      ...json({ ...shown, 'tasks.max': '1' }),
    });
    expect(put.status).toBe(200);
    const stored = w.embedded.get('connect-configs', `connector-${name}`)!;
    expect(stored).toContain(SECRETS.urlPassword);
    expect(stored).toContain(SECRETS.paramPassword);
    expect(stored).toContain(SECRETS.sqlServerPassword);
    expect(stored).toContain(SECRETS.passwordKey);
  });

  it('a log line carrying a URL or a JAAS config shows no password', () => {
    capture.logger.info(
      { url: `postgres://u:${SECRETS.urlPassword}@h/db`, nested: { jaas: `x password="${SECRETS.jaasPassword}";` } },
      `connecting to mysql://root:${SECRETS.mysqlPassword}@h:3306`,
    );
    capture.logger.error(new Error(`failed: jdbc:postgresql://h/db?password=${SECRETS.paramPassword}`));
    const last = capture.logLines.slice(-2).join('\n');
    expect(last).toContain('postgres://u:[hidden]@h/db');
    expect(last).toContain('mysql://root:[hidden]@h:3306');
    expect(last).toContain('password=[hidden]');
  });
});

// Last: nothing the suite saw (every log line, every response body, CLI output) holds a planted secret.
it('no planted secret appears in any log line or response body of the suite', () => {
  expect(capture.logLines.length).toBeGreaterThan(20);
  expect(capture.bodies.length).toBeGreaterThan(50);
  expect(capture.linesOf('tributary.audit').length).toBeGreaterThan(5);
  expect(capture.leaks(Object.values(SECRETS))).toEqual([]);
});
