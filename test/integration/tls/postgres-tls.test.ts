/**
 * TLS to a real PostgreSQL (a private server with ssl=on and hostssl-only pg_hba, certificates made
 * by the test): snapshot and streaming over verified TLS end to end, a wrong CA and a wrong host
 * name refused with one clear message, client certificates (PEM and PKCS12), and the sslmode
 * fallbacks (allow, prefer) as pgjdbc.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import pg from 'pg';
import { PrivatePostgres } from '../../helpers/private-postgres.ts';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.ts';
import { waitFor } from '../../helpers/wait.ts';
import { connectorStatus, createConnector, readTopic, startDirectTask, startWorker } from '../postgres/helpers.ts';
import type { RunningWorker } from '../../../app/workers.ts';

let certs: TestCerts;
let server: PrivatePostgres;
let worker: RunningWorker | undefined;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({
    host: 'localhost',
    port: server.port,
    user: 'postgres',
    password: 'postgres',
    database: 'postgres',
    ssl: { ca: fs.readFileSync(certs.caCert, 'utf8') },
  });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  certs = makeTestCerts({ clientCn: 'certuser' });
  server = await PrivatePostgres.start({ tls: { certs, certUser: 'certuser' } });
  await admin(async (c) => {
    await c.query('CREATE TABLE public.t (id int PRIMARY KEY, v text)');
    await c.query("INSERT INTO public.t VALUES (1, 'before')");
    await c.query('CREATE ROLE certuser LOGIN REPLICATION');
    await c.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO certuser');
    await c.query('CREATE PUBLICATION tls_pub FOR ALL TABLES');
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  server?.destroy();
  certs?.cleanup();
});

const base = (overrides: Record<string, string>): Record<string, string> => ({
  'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
  'database.hostname': 'localhost',
  'database.port': String(server.port),
  'database.user': 'postgres',
  'database.password': 'postgres',
  'database.dbname': 'postgres',
  'topic.prefix': 'tls',
  'plugin.name': 'pgoutput',
  'publication.name': 'tls_pub',
  'publication.autocreate.mode': 'disabled',
  'slot.drop.on.stop': 'true',
  'snapshot.mode': 'no_data',
  ...overrides,
});

/** Starts a task directly and stops it again; rejects with the start failure. */
async function startAndStop(config: Record<string, string>): Promise<void> {
  const t = await startDirectTask(config, null);
  await t.stop();
}

describe('PostgreSQL over TLS', () => {
  it('snapshots and streams over verified TLS (verify-full with database.sslrootcert), every connection encrypted', async () => {
    ({ worker } = await startWorker());
    await createConnector(
      worker,
      'pg-tls',
      base({
        'slot.name': 'tls_e2e',
        'snapshot.mode': 'initial',
        'database.sslmode': 'verify-full',
        'database.sslrootcert': certs.caCert,
      }),
    );
    await waitFor(async () => (await connectorStatus(worker!, 'pg-tls')).tasks[0]?.state === 'RUNNING', {
      what: 'task running',
    });
    await admin((c) => c.query("INSERT INTO public.t VALUES (2, 'streamed')"));
    const values = () =>
      readTopic(worker!, 'tls.public.t')
        .filter((r) => r.value)
        .map((r) => (JSON.parse(r.value!) as { payload: { after: { v: string } } }).payload.after.v);
    await waitFor(() => values().includes('streamed'), { timeoutMs: 30_000, what: 'the streamed change' });
    expect(values()).toEqual(['before', 'streamed']);
    // The server's own view: the connector's SQL and replication connections both use TLS.
    const conns = await admin(
      async (c) =>
        (
          await c.query<{ application_name: string; ssl: boolean }>(
            "SELECT a.application_name, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.application_name LIKE 'tributary-tls_e2e%'",
          )
        ).rows,
    );
    expect(conns.map((r) => r.application_name).sort()).toEqual(['tributary-tls_e2e', 'tributary-tls_e2e-sql']);
    expect(conns.every((r) => r.ssl)).toBe(true);
  });

  it('refuses a server whose certificate is not signed by database.sslrootcert, saying which key to fix', async () => {
    await createConnector(
      worker!,
      'pg-tls-wrong-ca',
      base({ 'slot.name': 'tls_wrong_ca', 'database.sslmode': 'verify-ca', 'database.sslrootcert': certs.wrongCaCert }),
    );
    await waitFor(async () => (await connectorStatus(worker!, 'pg-tls-wrong-ca')).tasks[0]?.state === 'FAILED', {
      what: 'task failed',
    });
    const trace = (await connectorStatus(worker!, 'pg-tls-wrong-ca')).tasks[0].trace ?? '';
    const first = trace.split('\n')[0];
    expect(first).toContain(
      `TLS connection to PostgreSQL server localhost:${server.port} refused: the server's certificate is not signed by a CA in database.sslrootcert=${certs.wrongCaCert}`,
    );
    expect(first).toContain('Set database.sslrootcert to the CA certificate that signed the server');
  });

  it('verify-full refuses a host name the certificate does not list; verify-ca accepts it', async () => {
    const byIp = { 'database.hostname': '127.0.0.1', 'database.sslrootcert': certs.caCert };
    await expect(
      startAndStop(base({ ...byIp, 'slot.name': 'tls_host_full', 'database.sslmode': 'verify-full' })),
    ).rejects.toThrow(
      /TLS connection to PostgreSQL server 127\.0\.0\.1:\d+ refused: the server's certificate does not name the host "127\.0\.0\.1".*database\.sslmode=verify-full checks the host name.*database\.sslmode=verify-ca/,
    );
    await startAndStop(base({ ...byIp, 'slot.name': 'tls_host_ca', 'database.sslmode': 'verify-ca' }));
  });

  it('require encrypts without checking the certificate (as pgjdbc), so even a wrong CA passes', async () => {
    await startAndStop(
      base({ 'slot.name': 'tls_require', 'database.sslmode': 'require', 'database.sslrootcert': certs.wrongCaCert }),
    );
  });

  it('authenticates with a client certificate (PEM files, and a PKCS12 key with database.sslpassword)', async () => {
    const certUser = {
      'database.user': 'certuser',
      'database.password': '',
      'database.sslmode': 'verify-full',
      'database.sslrootcert': certs.caCert,
    };
    await startAndStop(
      base({
        ...certUser,
        'slot.name': 'tls_cert_pem',
        'database.sslcert': certs.clientCert,
        'database.sslkey': certs.clientKey,
      }),
    );
    await startAndStop(
      base({
        ...certUser,
        'slot.name': 'tls_cert_p12',
        'database.sslkey': certs.clientP12,
        'database.sslpassword': certs.storePassword,
      }),
    );
    await expect(
      startAndStop(
        base({
          ...certUser,
          'slot.name': 'tls_cert_p12_bad',
          'database.sslkey': certs.clientP12,
          'database.sslpassword': 'wrong',
        }),
      ),
    ).rejects.toThrow(
      /database\.sslkey=.*client\.p12 could not be opened: the password in database\.sslpassword is wrong/,
    );
  });

  it('sslmode allow and prefer reach a TLS-only server; disable is refused by the server', async () => {
    await startAndStop(base({ 'slot.name': 'tls_allow', 'database.sslmode': 'allow' }));
    await startAndStop(base({ 'slot.name': 'tls_prefer', 'database.sslmode': 'prefer' }));
    await expect(startAndStop(base({ 'slot.name': 'tls_disable', 'database.sslmode': 'disable' }))).rejects.toThrow(
      /no encryption/,
    );
  });
});
