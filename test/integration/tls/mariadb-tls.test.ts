/**
 * TLS to a real MariaDB (a private server with its own certificates and
 * require_secure_transport=ON, so a plain TCP connection is refused): snapshot and binlog
 * streaming over verified TLS end to end, a wrong CA and a wrong host name refused with one clear
 * message, client certificates from PKCS12 and PEM key stores, Java JKS stores refused with the
 * keytool fix, and the MariaDB connector's own ssl.mode names.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrivateMariadb } from '../../helpers/private-mariadb.ts';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.ts';
import { waitFor } from '../../helpers/wait.ts';
import { connectorStatus, createConnector, readTopic, startTask, startWorker } from '../mysql/helpers.ts';
import type { RunningWorker } from '../../../app/workers.ts';

let certs: TestCerts;
let server: PrivateMariadb;
let worker: RunningWorker | undefined;
let dir: string;

async function sql(statement: string): Promise<void> {
  const c = await server.connection();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  certs = makeTestCerts({ clientCn: 'certuser' });
  server = await PrivateMariadb.start({ tls: certs, serverId: 11 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-tls-mariadb-'));
  await sql('CREATE DATABASE tlsdb');
  await sql('CREATE TABLE tlsdb.t (id INT PRIMARY KEY, v VARCHAR(20))');
  await sql("INSERT INTO tlsdb.t VALUES (1, 'before')");
  await sql("CREATE USER 'certuser'@'127.0.0.1' REQUIRE SUBJECT '/CN=certuser'");
  await sql("GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'certuser'@'127.0.0.1'");
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await server?.destroy();
  certs?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

let serverIds = 5000;
const base = (overrides: Record<string, string>): Record<string, string> => ({
  'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
  'database.hostname': 'localhost',
  'database.port': String(server.port),
  'database.user': 'root',
  'database.password': 'tributary',
  'database.server.id': String(serverIds++),
  'topic.prefix': 'tls',
  'database.include.list': 'tlsdb',
  'snapshot.mode': 'no_data',
  'schema.history.internal': 'io.debezium.relational.history.MemorySchemaHistory',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'false',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
  'poll.interval.ms': '100',
  ...overrides,
});

async function startAndStop(config: Record<string, string>): Promise<void> {
  const { task, abort } = await startTask(config, null);
  abort.abort();
  await task.stop();
}

describe('MariaDB over TLS', () => {
  it('snapshots and streams the binlog over verified TLS (verify_identity, PKCS12 trust store)', async () => {
    ({ worker } = await startWorker(dir));
    await createConnector(
      worker,
      'mariadb-tls',
      base({
        'snapshot.mode': 'initial',
        'database.ssl.mode': 'verify_identity',
        'database.ssl.truststore': certs.caP12,
        'database.ssl.truststore.password': certs.storePassword,
        'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
        'schema.history.internal.file.filename': path.join(dir, 'history.jsonl'),
      }),
    );
    await waitFor(async () => (await connectorStatus(worker!, 'mariadb-tls')).tasks[0]?.state === 'RUNNING', {
      what: 'task running',
    });
    const values = () =>
      readTopic(worker!, 'tls.tlsdb.t')
        .filter((r) => r.value)
        .map((r) => (r.value as { after: { v: string } }).after.v);
    await waitFor(() => values().includes('before'), { timeoutMs: 30_000, what: 'the snapshot row' });
    await sql("INSERT INTO tlsdb.t VALUES (2, 'streamed')");
    await waitFor(() => values().includes('streamed'), { timeoutMs: 30_000, what: 'the streamed change' });
    expect(values()).toEqual(['before', 'streamed']);
    expect((await connectorStatus(worker, 'mariadb-tls')).tasks[0].state).toBe('RUNNING');
  });

  it('the server refuses plain connections (so the connections above were encrypted)', async () => {
    // MariaDB 10.11 answers an insecure login under require_secure_transport with "Access denied"
    // (the same credentials work over TLS in every other test here).
    await expect(startAndStop(base({ 'database.ssl.mode': 'disabled' }))).rejects.toThrow(
      /Access denied for user 'root'@'127\.0\.0\.1'/,
    );
  });

  it('refuses a server whose certificate is not signed by database.ssl.truststore, saying which key to fix', async () => {
    await createConnector(
      worker!,
      'mariadb-tls-wrong-ca',
      base({ 'database.ssl.mode': 'verify_ca', 'database.ssl.truststore': certs.wrongCaCert }),
    );
    await waitFor(async () => (await connectorStatus(worker!, 'mariadb-tls-wrong-ca')).tasks[0]?.state === 'FAILED', {
      what: 'task failed',
    });
    const first = ((await connectorStatus(worker!, 'mariadb-tls-wrong-ca')).tasks[0].trace ?? '').split('\n')[0];
    expect(first).toContain(
      `TLS connection to MySQL/MariaDB server localhost:${server.port} refused: the server's certificate is not signed by a CA in database.ssl.truststore=${certs.wrongCaCert}`,
    );
    expect(first).toContain('Set database.ssl.truststore to the CA certificate that signed the server');
  });

  it('verify_identity refuses a host name the certificate does not list; verify_ca accepts it', async () => {
    const byIp = { 'database.hostname': '127.0.0.1', 'database.ssl.truststore': certs.caCert };
    await expect(startAndStop(base({ ...byIp, 'database.ssl.mode': 'verify_identity' }))).rejects.toThrow(
      /TLS connection to MySQL\/MariaDB server 127\.0\.0\.1:\d+ refused: the server's certificate does not name the host "127\.0\.0\.1".*database\.ssl\.mode=verify_identity checks the host name/,
    );
    await startAndStop(base({ ...byIp, 'database.ssl.mode': 'verify_ca' }));
    // The MariaDB connector's names for the same modes.
    await expect(startAndStop(base({ ...byIp, 'database.ssl.mode': 'verify-full' }))).rejects.toThrow(
      /does not name the host/,
    );
    await startAndStop(base({ ...byIp, 'database.ssl.mode': 'verify-ca' }));
    await startAndStop(base({ 'database.ssl.mode': 'trust' }));
  });

  it('preferred and required encrypt without checking the certificate', async () => {
    await startAndStop(base({ 'database.ssl.mode': 'preferred' }));
    await startAndStop(base({ 'database.ssl.mode': 'required', 'database.ssl.truststore': certs.wrongCaCert }));
  });

  it('authenticates with a client certificate from a PKCS12 or a PEM key store', async () => {
    const certUser = {
      'database.user': 'certuser',
      'database.password': '',
      'database.ssl.mode': 'verify_identity',
      'database.ssl.truststore': certs.caCert,
    };
    await startAndStop(
      base({
        ...certUser,
        'database.ssl.keystore': certs.clientP12,
        'database.ssl.keystore.password': certs.storePassword,
      }),
    );
    const pem = path.join(dir, 'client-keystore.pem');
    fs.writeFileSync(pem, fs.readFileSync(certs.clientCert, 'utf8') + fs.readFileSync(certs.clientKey, 'utf8'));
    await startAndStop(base({ ...certUser, 'database.ssl.keystore': pem }));
    await expect(startAndStop(base(certUser))).rejects.toThrow(/Access denied for user 'certuser'/);
  });

  it('refuses a Java JKS trust store with the keytool command that converts it', async () => {
    const jks = path.join(dir, 'truststore.jks');
    execFileSync(
      'keytool',
      [
        '-importcert',
        '-noprompt',
        '-alias',
        'ca',
        '-file',
        certs.caCert,
        '-keystore',
        jks,
        '-storetype',
        'JKS',
        '-storepass',
        'changeit',
      ],
      { stdio: 'pipe' },
    );
    await expect(
      startAndStop(
        base({
          'database.ssl.mode': 'verify_ca',
          'database.ssl.truststore': jks,
          'database.ssl.truststore.password': 'changeit',
        }),
      ),
    ).rejects.toThrow(
      `database.ssl.truststore=${jks} is a Java JKS truststore, which Node.js cannot read. Convert it to PKCS12 with \`keytool -importkeystore -srckeystore ${jks} -srcstoretype JKS -destkeystore ${path.join(dir, 'truststore.p12')} -deststoretype PKCS12\``,
    );
  });
});
