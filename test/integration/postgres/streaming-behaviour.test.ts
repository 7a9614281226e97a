/**
 * Streaming behaviours: schema changes picked up from Relation messages mid-stream, unchanged
 * TOASTed values as the unavailable-value placeholder, REPLICA IDENTITY DEFAULT deletes, and a
 * snapshot with concurrent writes whose replayed final state equals the table.
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { JsonConverter } from '../../../runtime/converters/json-converter.ts';
import { createPgTestDb, startDirectTask, uniqueName, type PgTestDb } from './helpers.ts';

const dbs: PgTestDb[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

const env = (r: SourceRecord): Struct => r.value as Struct;
const after = (r: SourceRecord): Struct => env(r).get('after') as Struct;
const fieldNames = (s: Struct): string[] => s.schema.fields.map((f) => f.name);

describe('PostgreSQL streaming behaviour', () => {
  it('follows ADD/DROP COLUMN from Relation messages without a restart', async () => {
    const db = await createPgTestDb('pgddl');
    dbs.push(db);
    await db.query('CREATE TABLE public.s (id int PRIMARY KEY, a text)');
    const task = await startDirectTask(db.connectorConfig({ 'snapshot.mode': 'no_data' }), null);
    try {
      await db.query("INSERT INTO public.s VALUES (1, 'x')");
      await db.query('ALTER TABLE public.s ADD COLUMN b int NOT NULL DEFAULT 7');
      await db.query("INSERT INTO public.s VALUES (2, 'y', 3)");
      await db.query('ALTER TABLE public.s DROP COLUMN a');
      await db.query('INSERT INTO public.s VALUES (3)');
      const rs = await task.pollUntil(3);
      expect(rs.map((r) => fieldNames(after(r)))).toEqual([
        ['id', 'a'],
        ['id', 'a', 'b'],
        ['id', 'b'],
      ]);
      expect(after(rs[1]).schema.field('b')!.schema.defaultValue).toBe(7);
      expect([after(rs[1]).get('b'), after(rs[2]).get('b')]).toEqual([3, 7]);
    } finally {
      await task.stop();
    }
  });

  it('emits the unavailable-value placeholder for unchanged TOASTed columns and key-only before images', async () => {
    const db = await createPgTestDb('pgtoast');
    dbs.push(db);
    await db.query('CREATE TABLE public.doc (id int PRIMARY KEY, body text, n int NOT NULL, note text)');
    const task = await startDirectTask(db.connectorConfig({ 'snapshot.mode': 'no_data' }), null);
    try {
      await db.query(
        "INSERT INTO public.doc SELECT 1, string_agg(md5(g::text), ''), 1, 'n' FROM generate_series(1, 3000) g",
      );
      await db.query('UPDATE public.doc SET n = 2 WHERE id = 1');
      await db.query('DELETE FROM public.doc WHERE id = 1');
      const rs = await task.pollUntil(4);
      expect((after(rs[0]).get('body') as string).length).toBe(96000);
      const u = env(rs[1]);
      expect(u.get('op')).toBe('u');
      expect(u.get('before')).toBeNull();
      expect((u.get('after') as Struct).get('body')).toBe('__debezium_unavailable_value');
      expect((u.get('after') as Struct).get('n')).toBe(2);
      const d = env(rs[2]);
      expect(d.get('op')).toBe('d');
      const before = d.get('before') as Struct;
      // REPLICA IDENTITY DEFAULT: only the key is logged; NOT NULL columns fall back to their zero value.
      expect([before.get('id'), before.get('body'), before.get('n'), before.get('note')]).toEqual([1, null, 0, null]);
      expect(rs[3].value).toBeNull();
    } finally {
      await task.stop();
    }
  });

  it('emits logical decoding messages as op=m events on <prefix>.message', async () => {
    const db = await createPgTestDb('pgmsg');
    dbs.push(db);
    await db.query('CREATE TABLE public.m (id int PRIMARY KEY)');
    const task = await startDirectTask(
      db.connectorConfig({ 'snapshot.mode': 'no_data', 'message.prefix.include.list': 'app\\..*' }),
      null,
    );
    try {
      await db.query('BEGIN');
      await db.query('INSERT INTO public.m VALUES (1)');
      await db.query("SELECT pg_logical_emit_message(true, 'app.tx', 'in tx')");
      await db.query("SELECT pg_logical_emit_message(true, 'other', 'skipped')");
      await db.query('COMMIT');
      await db.query("SELECT pg_logical_emit_message(false, 'app.now', 'hello')");
      const rs = await task.pollUntil(3);
      expect(rs.map((r) => r.topic)).toEqual([`${db.name}.public.m`, `${db.name}.message`, `${db.name}.message`]);
      const json = new JsonConverter();
      json.configure({}, false);
      const tx = JSON.parse(json.fromConnectData(rs[1].topic, rs[1].valueSchema, rs[1].value)!.toString()) as {
        payload: Record<string, unknown> & { source: Record<string, unknown> };
      };
      expect(tx.payload).toMatchObject({
        op: 'm',
        message: { prefix: 'app.tx', content: Buffer.from('in tx').toString('base64') },
        source: { schema: '', table: '' },
      });
      expect(tx.payload.source.txId).toBe((env(rs[0]).get('source') as Struct).get('txId'));
      expect(json.fromConnectData(rs[2].topic, rs[2].keySchema, rs[2].key)!.toString()).toBe(
        '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"field":"prefix"}],"optional":false,"name":"io.debezium.connector.postgresql.MessageKey","version":1},"payload":{"prefix":"app.now"}}',
      );
      const now = JSON.parse(json.fromConnectData(rs[2].topic, rs[2].valueSchema, rs[2].value)!.toString()) as {
        schema: { name: string; fields: Array<{ field: string }> };
        payload: Record<string, unknown> & { source: Record<string, unknown> };
      };
      expect(now.schema.name).toBe('io.debezium.connector.postgresql.MessageValue');
      expect(now.schema.fields.map((f) => f.field)).toEqual(['op', 'ts_ms', 'source', 'transaction', 'message']);
      expect(now.payload).toMatchObject({
        op: 'm',
        transaction: null,
        message: { prefix: 'app.now', content: 'aGVsbG8=' },
        source: { txId: null },
      });
    } finally {
      await task.stop();
    }
  });

  it('snapshot with concurrent writes: replaying the events gives exactly the table contents', async () => {
    const db = await createPgTestDb('pgconc');
    dbs.push(db);
    await db.query('CREATE TABLE public.c (id int PRIMARY KEY, v int NOT NULL)');
    await db.query('INSERT INTO public.c SELECT g, 0 FROM generate_series(1, 3000) g');
    const config = db.connectorConfig({
      'slot.name': uniqueName('conc'),
      'max.batch.size': '100',
      'snapshot.fetch.size': '100',
    });
    const task = await startDirectTask(config, null);
    try {
      const state = new Map<number, number>();
      const counts: Record<string, number> = {};
      const apply = (rs: SourceRecord[]): void => {
        for (const r of rs) {
          if (r.value === null) continue;
          const e = env(r);
          const op = e.get('op') as string;
          counts[op] = (counts[op] ?? 0) + 1;
          if (op === 'd') state.delete((e.get('before') as Struct).get('id') as number);
          else state.set((e.get('after') as Struct).get('id') as number, (e.get('after') as Struct).get('v') as number);
        }
      };
      const first = await task.task.poll();
      expect(first!.every((r) => env(r).get('op') === 'r')).toBe(true);
      apply(first!);
      // Writes while the snapshot is being read: they must appear once, after the snapshot.
      await db.query('UPDATE public.c SET v = 1 WHERE id % 7 = 0');
      await db.query('DELETE FROM public.c WHERE id % 11 = 0');
      await db.query('INSERT INTO public.c SELECT g, 2 FROM generate_series(3001, 3200) g');
      const expectedRows = await db.query<{ id: number; v: number }>('SELECT id, v FROM public.c ORDER BY id');
      let ops = 0;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const b = await task.task.poll();
        if (b) {
          apply(b);
          ops += b.length;
        }
        if (
          state.size === expectedRows.length &&
          [...state.values()].filter((v) => v === 2).length === 200 &&
          ops > 2900
        ) {
          const stillPending = await task.task.poll();
          if (stillPending === null) break;
          apply(stillPending);
        }
      }
      expect([...state.entries()].sort((a, b) => a[0] - b[0])).toEqual(expectedRows.map((r) => [r.id, r.v]));
      // Each snapshot row once, each concurrent change once.
      expect(counts).toEqual({ r: 3000, u: Math.floor(3000 / 7), d: Math.floor(3000 / 11), c: 200 });
    } finally {
      await task.stop();
    }
  });
});
