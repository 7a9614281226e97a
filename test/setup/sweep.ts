/**
 * Leftovers of earlier runs on servers the test setup provisioned and reuses: an interrupted run
 * drops neither its MariaDB databases nor its PostgreSQL replication slots. Databases pile up (every
 * MySQL snapshot then reads, and emits the DDL of, all of them, as Debezium's does by default) and an
 * inactive slot keeps its WAL on disk for ever. Run once before the suite, never on a server the
 * caller named (an address given in the environment is someone else's server).
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { log } from './shell.ts';

/** `uniqueName` of the MySQL tests: `<prefix>_<Date.now() in base 36>_<random in base 36>`. */
const TIMED_NAME = /^.+_([0-9a-z]{8})_[0-9a-z]{1,4}$/;
const EARLIEST_PLAUSIBLE_MS = Date.UTC(2024, 0, 1);
export const STALE_DATABASE_AGE_MS = 60 * 60 * 1000;
/** An inactive slot holding back more WAL than this is a leftover: no test runs that long behind. */
export const STALE_SLOT_RETAINED_BYTES = 2 * 1024 ** 3;

/** When a database named by the MySQL tests' `uniqueName` was created, or null for any other name. */
export function createdAtOfTestDatabase(name: string): number | null {
  const m = TIMED_NAME.exec(name);
  if (!m) return null;
  const ms = parseInt(m[1], 36);
  return ms >= EARLIEST_PLAUSIBLE_MS && ms <= Date.now() + 60_000 ? ms : null;
}

export async function sweepMariadb(url: string, nowMs = Date.now()): Promise<string[]> {
  const conn = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA',
    );
    const stale = rows
      .map((r) => String(r.name))
      .filter((name) => {
        const created = createdAtOfTestDatabase(name);
        return created !== null && nowMs - created > STALE_DATABASE_AGE_MS;
      });
    for (const name of stale) await conn.query(`DROP DATABASE IF EXISTS \`${name.replace(/`/g, '``')}\``);
    return stale;
  } finally {
    await conn.end();
  }
}

export async function sweepPostgresSlots(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ slot_name: string }>(
      `SELECT slot_name FROM pg_replication_slots
        WHERE NOT active AND pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) > $1`,
      [STALE_SLOT_RETAINED_BYTES],
    );
    const dropped: string[] = [];
    for (const { slot_name } of rows) {
      // A slot taken by a run that started meanwhile is active again: skip it.
      await client.query('SELECT pg_drop_replication_slot($1)', [slot_name]).then(
        () => dropped.push(slot_name),
        () => undefined,
      );
    }
    return dropped;
  } finally {
    await client.end();
  }
}

/** Sweeps the servers this setup provisioned (the variables named in `ownEnv`); errors are logged, not fatal. */
export async function sweepLeftovers(ownEnv: Record<string, string>): Promise<void> {
  const jobs: Array<Promise<void>> = [];
  if (ownEnv.TRIBUTARY_TEST_MYSQL_URL)
    jobs.push(
      sweepMariadb(ownEnv.TRIBUTARY_TEST_MYSQL_URL).then((dropped) => {
        if (dropped.length) log('mariadb', `dropped ${dropped.length} test databases older than an hour`);
      }),
    );
  if (ownEnv.TRIBUTARY_TEST_PG_URL)
    jobs.push(
      sweepPostgresSlots(ownEnv.TRIBUTARY_TEST_PG_URL).then((dropped) => {
        if (dropped.length)
          log('postgres', `dropped inactive replication slots holding > 2 GiB of WAL: ${dropped.join(', ')}`);
      }),
    );
  const results = await Promise.allSettled(jobs);
  for (const r of results) if (r.status === 'rejected') log('sweep', `skipped: ${(r.reason as Error).message}`);
}
