/**
 * Issue 22: SIGTERM with a PostgreSQL source (logical replication) → JDBC sink into MariaDB, under
 * a steady insert load: the worker exits 0 within the graceful timeout with its replication
 * connection closed, and the restarted worker delivers every row.
 */
import { afterAll, describe, it } from 'vitest';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';
import { createTestDb, type TestDb } from '../jdbc/helpers.ts';
import { killLeftovers, sigtermUnderLoad, workerDir, type Load } from './sigterm-scenario.ts';

let source: PgTestDb | undefined;
let target: TestDb | undefined;
afterAll(async () => {
  killLeftovers();
  await source?.drop();
  await target?.drop();
});

function insertLoad(db: PgTestDb): Load {
  let next = 1;
  let running = true;
  const loop = (async () => {
    while (running) {
      await db.query(`INSERT INTO public.items SELECT g, 'row ' || g FROM generate_series(${next}, ${next + 19}) g`);
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

describe('SIGTERM with a PostgreSQL source', () => {
  it('exits 0 within the graceful timeout under load, and nothing is lost on the next start', async () => {
    source = await createPgTestDb('sigtpg');
    target = await createTestDb('mariadb', 'sigtmy');
    await source.query('CREATE TABLE public.items (id int PRIMARY KEY, v text NOT NULL)');
    const dir = workerDir('sigterm-postgres');
    const t = target;
    await sigtermUnderLoad(dir, {
      connectors: [
        { name: 'pg-source', config: source.connectorConfig({ 'table.include.list': 'public.items' }) },
        {
          name: 'mariadb-sink',
          config: {
            'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
            topics: `${source.name}.public.items`,
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
      startLoad: () => insertLoad(source!),
      delivered: async () => Number((await t.query('SELECT count(DISTINCT id) AS n FROM items'))[0].n),
    });
  }, 420_000);
});
