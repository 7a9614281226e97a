/**
 * The JDBC sink's connection.url TLS parameters, as the JDBC drivers read them, against private
 * TLS-only servers (certificates made by the test): pgjdbc's sslmode/sslrootcert/ssl=true,
 * MySQL Connector/J's sslMode + trustCertificateKeyStoreUrl, MariaDB Connector/J's sslMode +
 * serverSslCert. Rows land over verified TLS; a wrong CA and a wrong host are refused with one
 * clear message naming the URL parameter.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import pg from 'pg';
import { JdbcSinkTask } from '../../../connectors/jdbc/jdbc-sink-task.ts';
import { SchemaBuilder, Schemas } from '../../../runtime/data/schema.ts';
import { PrivateMariadb } from '../../helpers/private-mariadb.ts';
import { PrivatePostgres } from '../../helpers/private-postgres.ts';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs.ts';
import { record, row, TestContext } from '../jdbc/helpers.ts';

let certs: TestCerts;
let postgres: PrivatePostgres;
let mariadb: PrivateMariadb;
const tasks: JdbcSinkTask[] = [];

beforeAll(async () => {
  certs = makeTestCerts();
  [postgres, mariadb] = await Promise.all([
    PrivatePostgres.start({ tls: { certs } }),
    PrivateMariadb.start({ tls: certs, serverId: 13 }),
  ]);
  const c = await mariadb.connection();
  await c.query('CREATE DATABASE sinkdb');
  await c.end();
}, 120_000);

afterAll(async () => {
  for (const t of tasks) await t.stop();
  postgres?.destroy();
  await mariadb?.destroy();
  certs?.cleanup();
});

const VALUE = SchemaBuilder.struct().name('tls.Value').field('id', Schemas.INT32).field('v', Schemas.STRING).build();

async function writeOne(url: string, user: string, password: string, table: string): Promise<void> {
  const task = new JdbcSinkTask();
  task.initialize(new TestContext());
  tasks.push(task);
  await task.start({
    'connection.url': url,
    'connection.user': user,
    'connection.password': password,
    'connection.attempts': '1',
    'auto.create': 'true',
    'table.name.format': table,
  });
  await task.put([record(table, null, null, VALUE, row(VALUE, { id: 1, v: 'over tls' }))]);
}

async function pgRows(table: string): Promise<Array<{ v: string }>> {
  const c = new pg.Client({
    host: 'localhost',
    port: postgres.port,
    user: 'postgres',
    password: 'postgres',
    database: 'postgres',
    ssl: { ca: fs.readFileSync(certs.caCert, 'utf8') },
  });
  await c.connect();
  try {
    return (await c.query<{ v: string }>(`SELECT v FROM ${table}`)).rows;
  } finally {
    await c.end();
  }
}

describe('JDBC sink over TLS', () => {
  it('PostgreSQL: sslmode=verify-full with sslrootcert writes over TLS', async () => {
    await writeOne(
      `jdbc:postgresql://localhost:${postgres.port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(certs.caCert)}`,
      'postgres',
      'postgres',
      'pg_tls',
    );
    expect(await pgRows('pg_tls')).toEqual([{ v: 'over tls' }]);
  });

  it('PostgreSQL: a wrong sslrootcert and a wrong host (ssl=true means verify-full, as pgjdbc) are refused clearly', async () => {
    await expect(
      writeOne(
        `jdbc:postgresql://localhost:${postgres.port}/postgres?sslmode=verify-ca&sslrootcert=${encodeURIComponent(certs.wrongCaCert)}`,
        'postgres',
        'postgres',
        'pg_wrong',
      ),
    ).rejects.toThrow(
      `TLS connection to PostgreSQL server localhost:${postgres.port} refused: the server's certificate is not signed by a CA in connection.url parameter sslrootcert=${certs.wrongCaCert}`,
    );
    await expect(
      writeOne(
        `jdbc:postgresql://127.0.0.1:${postgres.port}/postgres?ssl=true&sslrootcert=${encodeURIComponent(certs.caCert)}`,
        'postgres',
        'postgres',
        'pg_host',
      ),
    ).rejects.toThrow(
      /does not name the host "127\.0\.0\.1".*connection\.url parameter sslmode=verify-full checks the host name/,
    );
  });

  it('MySQL Connector/J URL: sslMode=VERIFY_IDENTITY with a PKCS12 trustCertificateKeyStoreUrl writes over TLS', async () => {
    const url = `jdbc:mysql://localhost:${mariadb.port}/sinkdb?sslMode=VERIFY_IDENTITY&trustCertificateKeyStoreUrl=file:${certs.caP12}&trustCertificateKeyStorePassword=${certs.storePassword}`;
    await writeOne(url, 'root', 'tributary', 'my_tls');
    const c = await mariadb.connection();
    try {
      const [rows] = await c.query('SELECT v FROM sinkdb.my_tls');
      expect(rows).toEqual([{ v: 'over tls' }]);
    } finally {
      await c.end();
    }
  });

  it('MariaDB Connector/J URL: a wrong serverSslCert is refused clearly', async () => {
    await expect(
      writeOne(
        `jdbc:mariadb://localhost:${mariadb.port}/sinkdb?sslMode=verify-full&serverSslCert=${encodeURIComponent(certs.wrongCaCert)}`,
        'root',
        'tributary',
        'maria_wrong',
      ),
    ).rejects.toThrow(
      `TLS connection to MySQL/MariaDB server localhost:${mariadb.port} refused: the server's certificate is not signed by a CA in connection.url parameter serverSslCert=${certs.wrongCaCert}`,
    );
  });
});
