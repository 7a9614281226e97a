/**
 * End to end: MariaDB → Tributary (MySQL source on the binlog, embedded log, JDBC sink) →
 * PostgreSQL, 100k rows of mixed inserts, updates and deletes committed while the worker process
 * is killed with SIGKILL and restarted. Afterwards the PostgreSQL table equals the MariaDB table,
 * compared by a checksum over every row.
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { connectorConfig, createDatabase } from '../mysql/helpers.ts';
import { createTestDb, type TestDb } from '../jdbc/helpers.ts';
import { waitFor } from '../../helpers/wait.ts';
import { killProcess, startWorkerProcess } from '../../helpers/worker-process.ts';

const ROWS = 100_000;

let source: { db: string; conn: Connection } | undefined;
let target: TestDb | undefined;
let worker: ChildProcess | undefined;
afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  if (source) {
    await source.conn.query(`DROP DATABASE IF EXISTS \`${source.db}\``);
    await source.conn.end();
  }
  await target?.drop();
});

/** sha256 over the rows in id order, each as id|name|qty|price(2 decimals)|timestamp (ms). */
function checksum(rows: Array<Record<string, unknown>>): { count: number; sha: string } {
  const h = createHash('sha256');
  for (const r of rows) h.update(`${r.id}|${r.name}|${r.qty}|${Number(r.price).toFixed(2)}|${String(r.updated)}\n`);
  return { count: rows.length, sha: h.digest('hex') };
}

describe('MariaDB → Tributary → PostgreSQL', () => {
  it('replicates a 100k-row mixed workload exactly, across a SIGKILL of the worker', async () => {
    source = await createDatabase('e2emy');
    const q = (sql: string) => source!.conn.query(sql);
    target = await createTestDb('postgresql', 'e2etgt');
    await q(
      'CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty INT NOT NULL, price DECIMAL(10,2) NOT NULL, updated DATETIME(3) NOT NULL)',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-e2e-my-'));
    fs.writeFileSync(
      path.join(dir, 'worker.properties'),
      [
        'listeners=http://127.0.0.1:0',
        `tributary.data.dir=${path.join(dir, 'data')}`,
        'offset.flush.interval.ms=200',
        'tributary.log.sync=os',
        'tributary.log.level=warn',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'source.json'),
      JSON.stringify({
        name: 'mariadb-source',
        config: connectorConfig(source.db, dir, {
          'topic.prefix': source.db,
          'table.include.list': `${source.db}.items`,
          'snapshot.mode': 'initial',
          'max.batch.size': '2048',
        }),
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'sink.json'),
      JSON.stringify({
        name: 'pg-sink',
        config: {
          'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
          topics: `${source.db}.${source.db}.items`,
          'connection.url': target.jdbcUrl,
          'connection.username': target.user,
          'connection.password': target.password,
          'insert.mode': 'upsert',
          'delete.enabled': 'true',
          'primary.key.mode': 'record_key',
          'schema.evolution': 'basic',
          'table.name.format': 'items',
        },
      }),
    );
    const insert = (from: number, to: number) =>
      q(
        `INSERT INTO items SELECT seq, CONCAT('item ', seq), seq % 1000, (seq % 10000) / 100, TIMESTAMP('2024-01-01') + INTERVAL seq SECOND FROM seq_${from}_to_${to}`,
      );
    await insert(1, 10_000);
    worker = startWorkerProcess(dir, ['source.json', 'sink.json']);

    let killed = 0;
    for (let from = 10_001; from <= ROWS; from += 10_000) {
      await insert(from, from + 9_999);
      await q(
        `UPDATE items SET qty = qty + 1, name = CONCAT(name, ' upd'), updated = updated + INTERVAL 1 DAY WHERE id % 7 = 0 AND id < ${from}`,
      );
      await q(`DELETE FROM items WHERE id % 13 = 0 AND id < ${from}`);
      if (from === 40_001 || from === 70_001) {
        await new Promise((r) => setTimeout(r, 500));
        await killProcess(worker);
        killed++;
        worker = startWorkerProcess(dir, ['source.json', 'sink.json']);
      }
    }
    expect(killed).toBe(2);

    const [rows] = (await q(
      "SELECT id, name, qty, price, DATE_FORMAT(updated, '%Y-%m-%d %H:%i:%s.%f') AS updated FROM items ORDER BY id",
    )) as unknown as [Array<Record<string, unknown>>];
    const want = checksum(rows.map((r) => ({ ...r, updated: String(r.updated).slice(0, 23) })));
    await waitFor(
      async () => {
        const got = await target!
          .query(
            "SELECT id, name, qty, price, to_char(updated, 'YYYY-MM-DD HH24:MI:SS.MS') AS updated FROM items ORDER BY id",
          )
          .catch(() => []);
        return got.length === want.count && checksum(got).sha === want.sha;
      },
      { timeoutMs: 240_000, intervalMs: 2000, what: `PostgreSQL to equal MariaDB (${want.count} rows)` },
    );
    expect(want.count).toBeGreaterThan(ROWS * 0.9);
    expect(
      fs.existsSync(path.join(dir, 'worker.log')) ? fs.readFileSync(path.join(dir, 'worker.log'), 'utf8') : '',
    ).not.toMatch(/"level":50/);
  }, 400_000);
});
