/**
 * The sink side shared by the JDBC pipelines: a table in a database of its own on the shared
 * PostgreSQL test server, WITHOUT a primary key and written with insert.mode=insert, so that every
 * delivery is a row and a redelivery shows as a duplicate instead of being absorbed by an upsert.
 */
import { createTestDb, type TestDb } from '../../integration/jdbc/helpers.ts';

export interface JdbcSinkTable {
  db: TestDb;
  connector(topic: string): Record<string, string>;
  ids(): Promise<number[]>;
  drop(): Promise<void>;
}

export async function jdbcSinkTable(prefix: string): Promise<JdbcSinkTable> {
  const db = await createTestDb('postgresql', prefix);
  await db.query('CREATE TABLE chaos_events (id int NOT NULL, payload text)');
  return {
    db,
    connector: (topic) => ({
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      topics: topic,
      'tasks.max': '1',
      'connection.url': db.jdbcUrl,
      'connection.username': db.user,
      'connection.password': db.password,
      'insert.mode': 'insert',
      'primary.key.mode': 'none',
      'schema.evolution': 'none',
      'table.name.format': 'chaos_events',
      'errors.retry.timeout': '-1',
      'errors.retry.delay.max.ms': '1000',
    }),
    ids: async () => (await db.query('SELECT id FROM chaos_events')).map((r) => Number(r.id)),
    drop: () => db.drop(),
  };
}
