/** The pieces behind rest-security.test.ts, case by case: redaction, credentials, roles, rate limit, request signing, capture. */
import { describe, it, expect } from 'vitest';
import { redactText, redactDeep } from '../../../runtime/config/redaction.ts';
import { Authenticator, parseCredentials, requiredRole } from '../../../runtime/rest/auth.ts';
import { RateLimiter } from '../../../runtime/rest/rate-limit.ts';
import { parseListeners } from '../../../runtime/config/listener-uris.ts';
import {
  newSessionKeyRecord,
  parseSessionKey,
  signRequest,
  verifyRequest,
} from '../../../runtime/distributed/request-signing.ts';
import { authorizationHeader } from '../../../cli/rest-auth.ts';
import { createCapture } from './capture.ts';
import { advertisedUrl } from '../../../runtime/rest/worker-rest.ts';
import { WorkerConfig } from '../../../runtime/worker/worker-config.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('redactText', () => {
  it.each([
    ['jdbc:postgresql://app:s3cret@db:5432/x', 'jdbc:postgresql://app:[hidden]@db:5432/x'],
    ['jdbc:mysql://root:pa:ss@h/db', 'jdbc:mysql://root:[hidden]@h/db'],
    ['SASL_SSL://u:p@k1:9092,SASL_SSL://u:p@k2:9092', 'SASL_SSL://u:[hidden]@k1:9092,SASL_SSL://u:[hidden]@k2:9092'],
    ['https://reg:pw@registry:8081/path', 'https://reg:[hidden]@registry:8081/path'],
    [
      'jdbc:postgresql://h/db?user=a&password=s3cret&ssl=true',
      'jdbc:postgresql://h/db?user=a&password=[hidden]&ssl=true',
    ],
    [
      'jdbc:sqlserver://h:1433;user=sa;password=s3cret;encrypt=true',
      'jdbc:sqlserver://h:1433;user=sa;password=[hidden];encrypt=true',
    ],
    [
      'jdbc:mysql://h/db?sslMode=VERIFY_CA&trustCertificateKeyStorePassword=s3cret&clientCertificateKeyStorePassword=k3y',
      'jdbc:mysql://h/db?sslMode=VERIFY_CA&trustCertificateKeyStorePassword=[hidden]&clientCertificateKeyStorePassword=[hidden]',
    ],
    [
      'jdbc:mariadb://h/db?keyStorePassword=s3cret&sslpassword=k3y',
      'jdbc:mariadb://h/db?keyStorePassword=[hidden]&sslpassword=[hidden]',
    ],
    ['jdbc:oracle:thin:scott/tiger@//h:1521/x', 'jdbc:oracle:thin:scott/[hidden]@//h:1521/x'],
    [
      'PlainLoginModule required username="u" password="p\\"w";',
      'PlainLoginModule required username="u" password="[hidden]";',
    ],
    ['http://127.0.0.1:8083/connectors', 'http://127.0.0.1:8083/connectors'],
    ['postgres://app@db/x', 'postgres://app@db/x'],
    ['plain text with no url', 'plain text with no url'],
  ])('%s', (input, output) => {
    expect(redactText(input)).toBe(output);
  });

  it('redactDeep hides secret-looking keys and validate-style {name, value} entries, and strings anywhere', () => {
    expect(
      redactDeep({
        a: ['x://u:p@h'],
        'db.password': 'p',
        v: { name: 'ssl.key.password', value: 'p', errors: [] },
        n: 1,
      }),
    ).toEqual({
      a: ['x://u:[hidden]@h'],
      'db.password': '[hidden]',
      v: { name: 'ssl.key.password', value: '[hidden]', errors: [] },
      n: 1,
    });
  });
});

describe('credentials and roles', () => {
  it('parses user: password[, role] (the highest role wins; none means read)', () => {
    const entries = parseCredentials('# c\nalice: pw, admin\nbob=pw2\ncarol: pw3, read, operate\n', 'k', 'f');
    expect(entries.map((e) => [e.name, e.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'read'],
      ['carol', 'operate'],
    ]);
    expect(() => parseCredentials('justaname\n', 'k', 'f')).toThrow(
      /k: line 1 of f is not "name: secret\[, role \.\.\.\]"/,
    );
  });

  it('authenticates basic and bearer credentials and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-auth-'));
    fs.writeFileSync(path.join(dir, 'c'), 'alice: pw, admin\n');
    fs.writeFileSync(path.join(dir, 't'), 'bot: tok, operate\n');
    const auth = Authenticator.fromConfig(path.join(dir, 'c'), path.join(dir, 't'))!;
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    expect(auth.authenticate(basic('alice:pw'))).toEqual({ name: 'alice', role: 'admin', scheme: 'basic' });
    expect(auth.authenticate(basic('alice:pW'))).toBeNull();
    expect(auth.authenticate(basic('alice'))).toBeNull();
    expect(auth.authenticate('Bearer tok')).toEqual({ name: 'bot', role: 'operate', scheme: 'bearer' });
    expect(auth.authenticate('Bearer alice:pw')).toBeNull();
    expect(auth.authenticate(undefined)).toBeNull();
    expect(Authenticator.fromConfig(null, null)).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['GET', '/connectors', 'read'],
    ['GET', '/connectors/a/config', 'read'],
    ['GET', '/admin/loggers', 'admin'],
    ['PUT', '/connectors/a/pause', 'operate'],
    ['PUT', '/connectors/a/resume', 'operate'],
    ['PUT', '/connectors/a/stop', 'operate'],
    ['POST', '/connectors/a/restart', 'operate'],
    ['POST', '/connectors/a/tasks/0/restart', 'operate'],
    ['PATCH', '/connectors/a/offsets', 'operate'],
    ['DELETE', '/connectors/a/offsets', 'operate'],
    ['PUT', '/connectors/a/topics/reset', 'operate'],
    ['POST', '/connectors', 'admin'],
    ['PUT', '/connectors/a/config', 'admin'],
    ['PATCH', '/connectors/a/config', 'admin'],
    ['DELETE', '/connectors/a', 'admin'],
    ['PUT', '/admin/loggers/x', 'admin'],
    ['PUT', '/connector-plugins/x/config/validate', 'admin'],
  ])('%s %s needs %s', (method, p, role) => {
    expect(requiredRole(method, p)).toBe(role);
  });
});

describe('listeners', () => {
  it('parses Kafka Connect listener URIs', () => {
    expect(parseListeners('listeners', ['http://:8083', 'HTTPS://127.0.0.1:0', 'http://[::1]:9'])).toEqual([
      { protocol: 'http', host: '', port: 8083, raw: 'http://:8083' },
      { protocol: 'https', host: '127.0.0.1', port: 0, raw: 'HTTPS://127.0.0.1:0' },
      { protocol: 'http', host: '::1', port: 9, raw: 'http://[::1]:9' },
    ]);
    expect(() => parseListeners('listeners', ['http://h'])).toThrow(/cannot parse "http:\/\/h"/);
    expect(() => parseListeners('listeners', ['http://h:70000'])).toThrow(/ports are 0\.\.65535/);
  });
});

describe('rate limiter', () => {
  it('allows the burst, then the sustained rate, per client', () => {
    let now = 0;
    const rl = new RateLimiter(2, 3, () => now);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 0]);
    expect(rl.take('a')).toBe(500);
    expect(rl.take('b')).toBe(0);
    now += 500;
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBeGreaterThan(0);
  });
});

describe('KIP-507 request signing', () => {
  const key = parseSessionKey(newSessionKeyRecord('HmacSHA256', null))!;
  it('verifies what it signed, and only that', () => {
    const headers = signRequest(key, 'HmacSHA256', 'POST', '/connectors', '{"name":"a"}');
    expect(verifyRequest(key, ['HmacSHA256'], headers, 'POST', '/connectors', '{"name":"a"}')).toEqual({ ok: true });
    expect(verifyRequest(key, ['HmacSHA256'], headers, 'POST', '/connectors', '{"name":"b"}')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(verifyRequest(key, ['HmacSHA256'], headers, 'DELETE', '/connectors', '{"name":"a"}')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(verifyRequest(key, ['HmacSHA256'], headers, 'POST', '/connectors/x', '{"name":"a"}')).toMatchObject({
      ok: false,
      status: 403,
    });
    const other = parseSessionKey(newSessionKeyRecord('HmacSHA256', null))!;
    expect(verifyRequest(other, ['HmacSHA256'], headers, 'POST', '/connectors', '{"name":"a"}')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(verifyRequest(key, ['HmacSHA256'], {}, 'POST', '/connectors', '')).toMatchObject({
      ok: false,
      status: 400,
      message: 'Internal request missing required signature',
    });
    expect(verifyRequest(key, ['HmacSHA512'], headers, 'POST', '/connectors', '{"name":"a"}')).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(verifyRequest(null, ['HmacSHA256'], headers, 'POST', '/connectors', '{"name":"a"}')).toMatchObject({
      ok: false,
      status: 503,
    });
  });

  it('writes session keys as Kafka Connect does', () => {
    const record = JSON.parse(newSessionKeyRecord('HmacSHA512', null, 1234)) as Record<string, unknown>;
    expect(record).toEqual({ key: expect.any(String), algorithm: 'HmacSHA512', 'creation-timestamp': 1234 });
    expect(Buffer.from(record.key as string, 'base64')).toHaveLength(64);
  });
});

describe('CLI credentials', () => {
  it('--user, --token and TRIBUTARY_AUTH become an Authorization header', () => {
    expect(authorizationHeader({ user: 'a:b' }, {})).toEqual({
      authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
    });
    expect(authorizationHeader({ token: 't' }, {})).toEqual({ authorization: 'Bearer t' });
    expect(authorizationHeader({}, { TRIBUTARY_AUTH: 'bearer  t2' })).toEqual({ authorization: 'Bearer t2' });
    expect(authorizationHeader({}, { TRIBUTARY_AUTH: 'u:p' })).toEqual({
      authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
    });
    expect(authorizationHeader({}, {})).toEqual({});
  });
});

describe('capture', () => {
  it('finds a planted secret in a log line or a body, plain, base64- or URL-encoded', () => {
    const c = createCapture();
    c.logger.info({ note: 'the s3cr3t!' }, 'hello');
    c.record('body', Buffer.from('the other s3cr3t!').toString('base64'));
    c.record('url', `x?q=${encodeURIComponent('the s3cr3t!')}`);
    expect(c.leaks(['s3cr3t!']).map((l) => l.where)).toEqual(['log line 1', 'body', 'url']);
    expect(c.leaks(['absent'])).toEqual([]);
  });
});

describe('log redaction', () => {
  it('an Error logged on its own keeps its message as the line message, redacted', () => {
    const c = createCapture();
    c.logger.error(new Error('cannot connect to postgres://u:pw-in-error@h/db'));
    c.logger.warn(new Error('x://a:b@c'), 'with a message');
    const [first, second] = c.logLines.map(
      (l) => JSON.parse(l) as { msg: string; err: { message: string; type: string } },
    );
    expect(first.msg).toBe('cannot connect to postgres://u:[hidden]@h/db');
    expect(first.err).toMatchObject({ type: 'Error', message: 'cannot connect to postgres://u:[hidden]@h/db' });
    expect(second.msg).toBe('with a message');
    expect(second.err.message).toBe('x://a:[hidden]@c');
    expect(c.leaks(['pw-in-error'])).toEqual([]);
  });
});

describe('log redaction of nested errors', () => {
  it('an Error under err keeps its type and loses its password', () => {
    const c = createCapture();
    c.logger.error({ err: new TypeError('bad url mysql://r:pw-nested@h') }, 'failed');
    const line = JSON.parse(c.logLines[0]) as { msg: string; err: { type: string; message: string } };
    expect(line.err).toMatchObject({ type: 'TypeError', message: 'bad url mysql://r:[hidden]@h' });
    expect(c.leaks(['pw-nested'])).toEqual([]);
  });
});

describe('advertised URL (distributed forwarding target)', () => {
  const bound = (host: string, protocol: 'http' | 'https' = 'http') => ({
    bound: [
      {
        protocol,
        host,
        port: 0,
        raw: '',
        kind: 'both' as const,
        boundPort: 41000,
        boundAddress: host || '::',
        url: '',
        loopback: false,
      },
    ],
    url: '',
    port: 41000,
    banner: [],
  });
  it("uses rest.advertised.*, else the listener, else this machine's name for a wildcard host", () => {
    expect(advertisedUrl(new WorkerConfig({}), bound('127.0.0.1'))).toBe('http://127.0.0.1:41000');
    expect(advertisedUrl(new WorkerConfig({}), bound(''))).toBe(`http://${os.hostname()}:41000`);
    expect(
      advertisedUrl(
        new WorkerConfig({
          'rest.advertised.host.name': 'w1.example',
          'rest.advertised.port': '443',
          'rest.advertised.listener': 'HTTPS',
        }),
        bound(''),
      ),
    ).toBe('https://w1.example:443');
    expect(advertisedUrl(new WorkerConfig({}), bound('::1', 'https'))).toBe('https://[::1]:41000');
  });
});
