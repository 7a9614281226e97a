/**
 * publication.autocreate.mode=filtered, and snapshot.mode always / when_needed / initial_only
 * against an existing slot and stored offsets.
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { createPgTestDb, startDirectTask, type PgTestDb } from './helpers.ts';

const dbs: PgTestDb[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

const opAndId = (r: SourceRecord): string => {
  const e = r.value as Struct;
  const row = (e.get('after') ?? e.get('before')) as Struct;
  return `${e.get('op') as string}${row.get('id') as number}`;
};

describe('PostgreSQL publication and snapshot modes', () => {
  it('filtered publication holds only the captured tables', async () => {
    const db = await createPgTestDb('pgpub');
    dbs.push(db);
    await db.query('CREATE TABLE public.a (id int PRIMARY KEY)');
    await db.query('CREATE TABLE public.b (id int PRIMARY KEY)');
    const config = db.connectorConfig({
      'publication.autocreate.mode': 'filtered',
      'table.include.list': 'public\\.a',
      'snapshot.mode': 'no_data',
    });
    const task = await startDirectTask(config, null);
    try {
      const tables = await db.query<{ tablename: string }>(
        'SELECT tablename FROM pg_publication_tables WHERE pubname = $1',
        [config['publication.name']],
      );
      expect(tables.map((t) => t.tablename)).toEqual(['a']);
      await db.query('INSERT INTO public.b VALUES (1)');
      await db.query('INSERT INTO public.a VALUES (2)');
      const rs = await task.pollUntil(1);
      expect(rs.map(opAndId)).toEqual(['c2']);
    } finally {
      await task.stop();
    }
  });

  it('always re-snapshots on an existing slot, then streams only later changes; initial_only stops after the snapshot', async () => {
    const db = await createPgTestDb('pgalways');
    dbs.push(db);
    await db.query('CREATE TABLE public.t (id int PRIMARY KEY)');
    await db.query('INSERT INTO public.t VALUES (1), (2)');
    const config = db.connectorConfig({ 'snapshot.mode': 'always' });
    const first = await startDirectTask(config, null);
    const rs1 = await first.pollUntil(2);
    await db.query('INSERT INTO public.t VALUES (3)');
    const rs2 = await first.pollUntil(1);
    expect([...rs1, ...rs2].map(opAndId)).toEqual(['r1', 'r2', 'c3']);
    await first.stop();

    await db.query('INSERT INTO public.t VALUES (4)');
    const second = await startDirectTask(config, rs2[0].sourceOffset);
    try {
      const snap = await second.pollUntil(4);
      expect(snap.map(opAndId)).toEqual(['r1', 'r2', 'r3', 'r4']);
      await db.query('INSERT INTO public.t VALUES (5)');
      const more = await second.pollUntil(1);
      expect(more.map(opAndId)).toEqual(['c5']);
    } finally {
      await second.stop();
    }

    const only = await startDirectTask(
      db.connectorConfig({ 'snapshot.mode': 'initial_only', 'slot.name': `${config['slot.name']}_only` }),
      null,
    );
    try {
      const rows = await only.pollUntil(5);
      expect(rows.map(opAndId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
      await db.query('INSERT INTO public.t VALUES (6)');
      expect(await only.task.poll()).toBeNull();
      expect(await only.task.poll()).toBeNull();
    } finally {
      await only.stop();
    }
  });

  it('when_needed snapshots again when the slot disappeared', async () => {
    const db = await createPgTestDb('pgneeded');
    dbs.push(db);
    await db.query('CREATE TABLE public.t (id int PRIMARY KEY)');
    await db.query('INSERT INTO public.t VALUES (1)');
    const config = db.connectorConfig({ 'snapshot.mode': 'when_needed' });
    const first = await startDirectTask(config, null);
    const rs = await first.pollUntil(1);
    expect(rs.map(opAndId)).toEqual(['r1']);
    await first.stop();
    await db.query('INSERT INTO public.t VALUES (2)');
    await db.query('SELECT pg_drop_replication_slot($1)', [config['slot.name']]);
    const second = await startDirectTask(config, rs[0].sourceOffset);
    try {
      expect((await second.pollUntil(2)).map(opAndId)).toEqual(['r1', 'r2']);
    } finally {
      await second.stop();
    }
  });
});
