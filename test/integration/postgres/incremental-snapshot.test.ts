/**
 * Incremental snapshot driven by a signal table while writes continue: chunks are read between
 * open/close watermarks, rows changed inside a window are left to the stream, and replaying all
 * events gives exactly the table contents; rows never touched are read exactly once.
 */
import { describe, it, expect, afterAll } from 'vitest';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { createPgTestDb, startDirectTask, type DirectTask, type PgTestDb } from './helpers.ts';

const dbs: PgTestDb[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

describe('PostgreSQL incremental snapshot', () => {
  it('re-snapshots a table in chunks while streaming continues, without losing or reordering changes', async () => {
    const db = await createPgTestDb('pgincr');
    dbs.push(db);
    await db.query('CREATE TABLE public.inc (id int PRIMARY KEY, v int NOT NULL)');
    await db.query(
      'CREATE TABLE public.debezium_signal (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))',
    );
    await db.query('INSERT INTO public.inc SELECT g, 0 FROM generate_series(1, 250) g');
    const config = db.connectorConfig({
      'snapshot.mode': 'no_data',
      'table.include.list': 'public\\.inc',
      'signal.data.collection': 'public.debezium_signal',
      'incremental.snapshot.chunk.size': '40',
      'max.batch.size': '25',
    });
    const task = await startDirectTask(config, null);
    try {
      const state = new Map<number, number>();
      const reads = new Map<number, number>();
      let lastRecord: SourceRecord | null = null;
      const signalRows: string[] = [];
      const chunks = new Map<
        string,
        { from: string[] | null; to: string[] | null; tableFrom: string[] | null; tableTo: string[] | null }
      >();
      const apply = (rs: SourceRecord[] | null): void => {
        const chunk = task.task.snapshotProgress().chunk;
        if (chunk) chunks.set(chunk.id, chunk);
        for (const r of rs ?? []) {
          lastRecord = r;
          if (r.value === null) continue;
          const e = r.value as Struct;
          // The signal table is captured as Debezium captures it: the signal row and every window's watermark rows.
          if (r.topic === `${db.name}.public.debezium_signal`) {
            signalRows.push(((e.get('after') as Struct).get('type') as string) ?? '');
            continue;
          }
          const op = e.get('op') as string;
          const row = (e.get('after') ?? e.get('before')) as Struct;
          const id = row.get('id') as number;
          if (op === 'r') {
            expect((e.get('source') as Struct).get('snapshot')).toBe('incremental');
            reads.set(id, (reads.get(id) ?? 0) + 1);
          }
          if (op === 'd') state.delete(id);
          else state.set(id, row.get('v') as number);
        }
      };
      await db.query(
        `INSERT INTO public.debezium_signal VALUES ('sig-1', 'execute-snapshot', '{"data-collections": ["public.inc"], "type": "incremental"}')`,
      );
      // Writes interleaved with the chunks.
      for (let i = 0; i < 6; i++) {
        apply(await task.task.poll());
        await db.query('UPDATE public.inc SET v = v + 1 WHERE id % 7 = $1', [i]);
        await db.query('DELETE FROM public.inc WHERE id = $1', [i * 37 + 5]);
        await db.query('INSERT INTO public.inc VALUES ($1, 9)', [300 + i]);
      }
      const expected = await db.query<{ id: number; v: number }>('SELECT id, v FROM public.inc ORDER BY id');
      const deadline = Date.now() + 30_000;
      let quiet = 0;
      while (Date.now() < deadline && quiet < 3) {
        const b = await task.task.poll();
        apply(b);
        quiet = b ? 0 : quiet + 1;
      }
      expect([...state.entries()].sort((a, b) => a[0] - b[0])).toEqual(expected.map((r) => [r.id, r.v]));
      expect([...reads.values()].every((n) => n === 1)).toBe(true);
      expect(signalRows[0]).toBe('execute-snapshot');
      const opens = signalRows.filter((t) => t === 'snapshot-window-open').length;
      expect(opens).toBeGreaterThanOrEqual(7);
      expect(signalRows.filter((t) => t === 'snapshot-window-close').length).toBe(opens);
      // Rows never touched by the writes were read by the snapshot.
      const untouched = expected.filter((r) => r.id <= 250 && r.id % 7 >= 6);
      expect(untouched.every((r) => reads.has(r.id))).toBe(true);
      expect(reads.size).toBeGreaterThan(150);
      expect(lastRecord!.sourceOffset.incremental_snapshot_collections).toBeUndefined();
      // The snapshot bean's ChunkId/ChunkFrom/ChunkTo/TableFrom/TableTo: chunks of 40 keys within the table's first and maximum key, cleared at the end.
      expect(chunks.size).toBeGreaterThanOrEqual(2);
      const tableTo = [...chunks.values()][0].tableTo;
      expect(tableTo).not.toBeNull();
      for (const c of chunks.values()) {
        expect(c.tableFrom).toEqual(['1']);
        expect(c.tableTo).toEqual(tableTo);
        expect(Number(c.from![0])).toBeLessThanOrEqual(Number(c.to![0]));
        expect(Number(c.to![0])).toBeLessThanOrEqual(Number(tableTo![0]));
      }
      expect(task.task.snapshotProgress().chunk ?? null).toBeNull();
      // The streaming bean's LastEvent/SourceEventPosition describe the last streamed change: the last window's close watermark row, the signal table being captured.
      const streaming = (
        task.task as unknown as {
          streamingStats: { lastEvent: string | null; sourceEventPosition: Record<string, string> };
        }
      ).streamingStats;
      expect(streaming.sourceEventPosition).toEqual({ lsn: expect.stringMatching(/^\d+$/) });
      expect(streaming.lastEvent).toMatch(
        new RegExp(
          `^position: \\{lsn: ${streaming.sourceEventPosition.lsn}\\}, key: \\{"id" : "[0-9a-f-]{36}-close"\\}$`,
        ),
      );
    } finally {
      await task.stop();
    }
  });

  it('continues after the last emitted chunk when restarted from its offset', async () => {
    const db = await createPgTestDb('pgincr2');
    dbs.push(db);
    await db.query('CREATE TABLE public.inc (id int PRIMARY KEY)');
    await db.query(
      'CREATE TABLE public.debezium_signal (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))',
    );
    await db.query('INSERT INTO public.inc SELECT g FROM generate_series(1, 100) g');
    const config = db.connectorConfig({
      'snapshot.mode': 'no_data',
      'table.include.list': 'public\\.inc',
      'signal.data.collection': 'public.debezium_signal',
      'incremental.snapshot.chunk.size': '20',
    });
    const ids = (rs: SourceRecord[]): number[] =>
      rs.map((r) => ((r.value as Struct).get('after') as Struct).get('id') as number);
    // The signal table's own change events (signal row, watermarks) are left out of the count.
    const pollRows = async (task: DirectTask, n: number): Promise<SourceRecord[]> => {
      const out: SourceRecord[] = [];
      const deadline = Date.now() + 60_000;
      while (out.length < n && Date.now() < deadline)
        out.push(...(await task.pollUntil(1)).filter((r) => r.topic === `${db.name}.public.inc`));
      return out;
    };
    const first = await startDirectTask(config, null);
    await db.query(
      `INSERT INTO public.debezium_signal VALUES ('sig-2', 'execute-snapshot', '{"data-collections": ["public\\\\.inc"]}')`,
    );
    const part = await pollRows(first, 40);
    await first.stop();
    const readSoFar = ids(part.slice(0, 40));
    expect(readSoFar).toEqual(Array.from({ length: 40 }, (_v, i) => i + 1));
    const durable = part[39].sourceOffset;
    expect(JSON.parse(durable.incremental_snapshot_primary_key as string)).toEqual(['40']);
    const second = await startDirectTask(config, durable);
    try {
      const rest = await pollRows(second, 60);
      expect(ids(rest)).toEqual(Array.from({ length: 60 }, (_v, i) => i + 41));
    } finally {
      await second.stop();
    }
  });

  it("reads a table without a primary key in the order of the signal's surrogate-key column", async () => {
    const db = await createPgTestDb('pgincr3');
    dbs.push(db);
    await db.query('CREATE TABLE public.nokey (seq int NOT NULL, v text)');
    await db.query(
      'CREATE TABLE public.debezium_signal (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))',
    );
    await db.query("INSERT INTO public.nokey SELECT g, 'v' || g FROM generate_series(50, 1, -1) g");
    const task = await startDirectTask(
      db.connectorConfig({
        'snapshot.mode': 'no_data',
        'table.include.list': 'public\\.nokey',
        'signal.data.collection': 'public.debezium_signal',
        'incremental.snapshot.chunk.size': '20',
      }),
      null,
    );
    try {
      await db.query(
        `INSERT INTO public.debezium_signal VALUES ('sig-3', 'execute-snapshot', '{"data-collections": ["public\\\\.nokey"], "surrogate-key": "seq"}')`,
      );
      const rows: SourceRecord[] = [];
      const deadline = Date.now() + 120_000;
      while (rows.length < 50 && Date.now() < deadline)
        rows.push(...(await task.pollUntil(1)).filter((r) => r.topic === `${db.name}.public.nokey`));
      expect(rows.map((r) => ((r.value as Struct).get('after') as Struct).get('seq'))).toEqual(
        Array.from({ length: 50 }, (_v, i) => i + 1),
      );
      const offset = rows[24].sourceOffset;
      expect(offset.incremental_snapshot_primary_key).toBe('["25"]');
      expect(JSON.parse(offset.incremental_snapshot_collections as string)[0]).toMatchObject({
        incremental_snapshot_collections_id: 'public.nokey',
        incremental_snapshot_collections_surrogate_key: 'seq',
      });
    } finally {
      await task.stop();
    }
  }, 180_000);
});
