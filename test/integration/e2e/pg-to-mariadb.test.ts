/**
 * End to end: PostgreSQL → Tributary (PostgreSQL source, embedded log, JDBC sink) → MariaDB,
 * 100k rows of mixed inserts, updates and deletes committed while the worker process is killed
 * with SIGKILL and restarted. Afterwards the MariaDB table equals the PostgreSQL table, compared
 * by a checksum over every row.
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';
import { createTestDb, type TestDb } from '../jdbc/helpers.ts';
import { waitFor } from '../../helpers/wait.ts';
import { killProcess, startWorkerProcess } from '../../helpers/worker-process.ts';

const ROWS = 100_000;

let source: PgTestDb | undefined;
let target: TestDb | undefined;
let worker: ChildProcess | undefined;
afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await source?.drop();
  await target?.drop();
});

/** sha256 over the rows in id order, each as id|name|qty|price(2 decimals)|ISO timestamp (ms). */
function checksum(rows: Array<Record<string, unknown>>): { count: number; sha: string } {
  const h = createHash('sha256');
  for (const r of rows) {
    const ts = new Date(`${String(r.updated).replace(' ', 'T')}Z`).toISOString();
    h.update(`${r.id}|${r.name}|${r.qty}|${Number(r.price).toFixed(2)}|${ts}\n`);
  }
  return { count: rows.length, sha: h.digest('hex') };
}

describe('PostgreSQL → Tributary → MariaDB', () => {
  it('replicates a 100k-row mixed workload exactly, across a SIGKILL of the worker', async () => {
    source = await createPgTestDb('e2epg');
    target = await createTestDb('mariadb', 'e2etgt');
    await source.query(
      'CREATE TABLE public.items (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL, price numeric(10,2) NOT NULL, updated timestamp(3) NOT NULL)',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-e2e-'));
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
        name: 'pg-source',
        config: source.connectorConfig({
          'snapshot.mode': 'initial',
          'table.include.list': 'public.items',
          'max.batch.size': '2048',
        }),
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'sink.json'),
      JSON.stringify({
        name: 'mariadb-sink',
        config: {
          'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
          topics: `${source.name}.public.items`,
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
    // A first slice exists before the connector starts (snapshot), the rest streams.
    const insert = (from: number, to: number) =>
      source!.query(
        `INSERT INTO public.items SELECT g, 'item ' || g, g % 1000, (g % 10000) / 100.0, timestamp '2024-01-01' + g * interval '1 second' FROM generate_series(${from}, ${to}) g`,
      );
    await insert(1, 10_000);
    worker = startWorkerProcess(dir, ['source.json', 'sink.json']);

    let killed = 0;
    for (let from = 10_001; from <= ROWS; from += 10_000) {
      await insert(from, from + 9_999);
      await source.query(
        `UPDATE public.items SET qty = qty + 1, name = name || ' upd', updated = updated + interval '1 day' WHERE id % 7 = 0 AND id < ${from}`,
      );
      await source.query(`DELETE FROM public.items WHERE id % 13 = 0 AND id < ${from}`);
      if (from === 40_001 || from === 70_001) {
        await new Promise((r) => setTimeout(r, 500));
        await killProcess(worker);
        killed++;
        worker = startWorkerProcess(dir, ['source.json', 'sink.json']);
      }
    }
    expect(killed).toBe(2);

    const want = checksum(
      await source.query(
        "SELECT id, name, qty, price, to_char(updated, 'YYYY-MM-DD HH24:MI:SS.MS') AS updated FROM public.items ORDER BY id",
      ),
    );
    await waitFor(
      async () => {
        const rows = await target!.query('SELECT id, name, qty, price, updated FROM items ORDER BY id').catch(() => []);
        return rows.length === want.count && checksum(rows).sha === want.sha;
      },
      { timeoutMs: 240_000, intervalMs: 2000, what: `MariaDB to equal PostgreSQL (${want.count} rows)` },
    );
    expect(want.count).toBeGreaterThan(ROWS * 0.9);
    expect(
      fs.existsSync(path.join(dir, 'worker.log')) ? fs.readFileSync(path.join(dir, 'worker.log'), 'utf8') : '',
    ).not.toMatch(/"level":50/);
  }, 400_000);
});
