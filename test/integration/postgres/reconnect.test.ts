/**
 * The replication connection is killed mid-stream (pg_terminate_backend on the walsender, as a
 * server restart would): the task reconnects with backoff and resumes where it was, without
 * losing or repeating a change. slot.drop.on.stop removes the slot when the task stops.
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { createPgTestDb, startDirectTask, type PgTestDb } from './helpers.ts';
import { waitFor } from '../../helpers/wait.ts';

const dbs: PgTestDb[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

const idOf = (r: SourceRecord): number => ((r.value as Struct).get('after') as Struct).get('id') as number;

describe('PostgreSQL reconnection', () => {
  it('reconnects after the walsender is terminated and resumes without loss or duplicates', async () => {
    const db = await createPgTestDb('pgreconn');
    dbs.push(db);
    await db.query('CREATE TABLE public.r (id int PRIMARY KEY)');
    const config = db.connectorConfig({
      'snapshot.mode': 'no_data',
      'slot.retry.delay.ms': '50',
      'slot.max.retries': '5',
      'poll.interval.ms': '100',
      'slot.drop.on.stop': 'true',
    });
    const task = await startDirectTask(config, null);
    try {
      await db.query('INSERT INTO public.r SELECT g FROM generate_series(1, 20) g');
      const first = await task.pollUntil(20);
      await db.query('BEGIN');
      await db.query('INSERT INTO public.r SELECT g FROM generate_series(21, 30) g');
      const killed = await db.query<{ n: number }>(
        'SELECT count(pg_terminate_backend(active_pid))::int AS n FROM pg_replication_slots WHERE slot_name = $1 AND active',
        [config['slot.name']],
      );
      expect(killed[0].n).toBe(1);
      await db.query('COMMIT');
      await db.query('INSERT INTO public.r SELECT g FROM generate_series(31, 40) g');
      const rest = await task.pollUntil(20, 30_000);
      expect([...first, ...rest].map(idOf)).toEqual(Array.from({ length: 40 }, (_v, i) => i + 1));
      await waitFor(
        async () => {
          const r = await db.query<{ active: boolean }>(
            'SELECT active FROM pg_replication_slots WHERE slot_name = $1',
            [config['slot.name']],
          );
          return r[0]?.active === true;
        },
        { what: 'the slot to be active again' },
      );
    } finally {
      await task.stop();
    }
    expect(await db.confirmedFlush(config['slot.name'])).toBeNull();
  });
});
