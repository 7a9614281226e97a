import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { createdAtOfTestDatabase, STALE_DATABASE_AGE_MS, sweepMariadb } from './sweep.ts';
import { testMysqlUrl } from './env.ts';

const rand = () => Math.floor(Math.random() * 1e6).toString(36);

describe('sweep of earlier runs’ leftovers', () => {
  it('reads the creation time from the MySQL tests’ names and nothing else', () => {
    const at = Date.now() - 2 * 60 * 60 * 1000;
    expect(createdAtOfTestDatabase(`snap_${at.toString(36)}_${rand()}`)).toBe(at);
    for (const other of ['tributary_quickstart', 'h17s', 'inventory', 'a_zzzzzzzz_1', `x_${at.toString(36)}`])
      expect(createdAtOfTestDatabase(other)).toBeNull();
  });

  const conn = mysql.createConnection({ uri: testMysqlUrl() });
  afterAll(async () => (await conn).end());

  it('drops MariaDB test databases older than an hour and keeps younger ones and other names', async () => {
    const c = await conn;
    const now = Date.now();
    const old = `sweepold_${(now - STALE_DATABASE_AGE_MS - 60_000).toString(36)}_${rand()}`;
    const young = `sweepnew_${(now - 60_000).toString(36)}_${rand()}`;
    const other = `sweepother${rand()}`;
    for (const db of [old, young, other]) await c.query(`CREATE DATABASE \`${db}\``);
    try {
      const dropped = await sweepMariadb(testMysqlUrl(), now);
      expect(dropped).toContain(old);
      expect(dropped).not.toContain(young);
      expect(dropped).not.toContain(other);
      const [rows] = await c.query<mysql.RowDataPacket[]>(
        'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?, ?, ?)',
        [old, young, other],
      );
      expect(rows.map((r) => r.name).sort()).toEqual([other, young].sort());
    } finally {
      for (const db of [old, young, other]) await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
    }
  });
});
