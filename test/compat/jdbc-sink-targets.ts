/**
 * The target databases of the JDBC sink differential: one fresh database per sink on the
 * PostgreSQL and MariaDB test servers, and the image of a table there (jdbc-sink-compare.ts).
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { testMysqlUrl, testPgUrl } from '../setup/env.ts';
import { pgTableImage, mariadbTableImage, type TableImage } from './jdbc-sink-compare.ts';

export type TargetKind = 'postgresql' | 'mariadb';

export interface Target {
  kind: TargetKind;
  name: string;
  jdbcUrl: string;
  user: string;
  password: string;
  exec(sql: string): Promise<void>;
  image(table: string): Promise<TableImage>;
  drop(): Promise<void>;
}

export async function createTarget(kind: TargetKind, name: string): Promise<Target> {
  if (kind === 'postgresql') {
    const admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(testPgUrl());
    u.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: u.toString() });
    await client.connect();
    await client.query("SET TIME ZONE 'UTC'");
    return {
      kind,
      name,
      jdbcUrl: `jdbc:postgresql://${u.hostname}:${u.port}/${name}`,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      exec: async (sql) => void (await client.query(sql)),
      image: (table) => pgTableImage(client, table),
      drop: async () => {
        await client.end().catch(() => undefined);
        const d = new pg.Client({ connectionString: testPgUrl() });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await d.end();
      },
    };
  }
  const u = new URL(testMysqlUrl());
  const conn = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  await conn.query(`CREATE DATABASE ${name}`);
  await conn.query(`USE ${name}`);
  await conn.query("SET time_zone = '+00:00'");
  return {
    kind,
    name,
    jdbcUrl: `jdbc:mariadb://${u.hostname}:${u.port}/${name}`,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    exec: async (sql) => void (await conn.query(sql)),
    image: (table) => mariadbTableImage(conn, name, table),
    drop: async () => {
      await conn.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      await conn.end().catch(() => undefined);
    },
  };
}
