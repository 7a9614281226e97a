/**
 * Issue 22: SIGTERM did not stop a worker running a MariaDB source (the binlog dump connection was
 * only half-closed and kept the process up). MariaDB source → JDBC sink into PostgreSQL under a
 * steady insert load: SIGTERM ends the worker with exit 0 in time, and the restarted worker
 * delivers every row.
 */
import { afterAll, describe, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { connectorConfig, createDatabase } from '../mysql/helpers.ts';
import { createTestDb, type TestDb } from '../jdbc/helpers.ts';
import { killLeftovers, sigtermUnderLoad, workerDir, type Load } from './sigterm-scenario.ts';

let source: { db: string; conn: Connection } | undefined;
let target: TestDb | undefined;
afterAll(async () => {
  killLeftovers();
  if (source) {
    await source.conn.query(`DROP DATABASE IF EXISTS \`${source.db}\``).catch(() => undefined);
    await source.conn.end();
  }
  await target?.drop();
});

function insertLoad(conn: Connection): Load {
  let next = 1;
  let running = true;
  const loop = (async () => {
    while (running) {
      const values = Array.from({ length: 20 }, (_x, i) => `(${next + i}, 'row ${next + i}')`).join(',');
      await conn.query(`INSERT INTO items VALUES ${values}`);
      next += 20;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return next - 1;
    },
  };
}

describe('SIGTERM with a MariaDB source', () => {
  it('exits 0 within the graceful timeout under load, and nothing is lost on the next start', async () => {
    source = await createDatabase('sigtmy');
    target = await createTestDb('postgresql', 'sigtpg');
    await source.conn.query('CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL)');
    const dir = workerDir('sigterm-mariadb');
    const t = target;
    await sigtermUnderLoad(dir, {
      connectors: [
        {
          name: 'mariadb-source',
          config: connectorConfig(source.db, dir, {
            'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
            'topic.prefix': source.db,
            'table.include.list': `${source.db}.items`,
          }),
        },
        {
          name: 'pg-sink',
          config: {
            'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
            topics: `${source.db}.${source.db}.items`,
            'connection.url': t.jdbcUrl,
            'connection.username': t.user,
            'connection.password': t.password,
            'insert.mode': 'upsert',
            'primary.key.mode': 'record_key',
            'schema.evolution': 'basic',
            'table.name.format': 'items',
          },
        },
      ],
      startLoad: () => insertLoad(source!.conn),
      delivered: async () => Number((await t.query('SELECT count(DISTINCT id) AS n FROM items'))[0].n),
    });
  }, 420_000);
});
