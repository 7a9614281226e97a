/**
 * binlog_row_image=NOBLOB (set for the writing session): unchanged BLOB/TEXT columns are left out of
 * the row images and reach the envelope as unavailable.value.placeholder (bytes for BLOB, text for
 * TEXT), as Debezium emits them; other columns and changed BLOB/TEXT values come through.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { waitFor } from '../../helpers/wait.ts';
import {
  connectorConfig,
  connectorStatus,
  createConnector,
  createDatabase,
  readTopic,
  startWorker,
} from './helpers.ts';

describe('MySQL source with NOBLOB row images', () => {
  it('emits the unavailable-value placeholder for BLOB/TEXT columns the image leaves out', async () => {
    const { db, conn } = await createDatabase('noblob');
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY, n INT NOT NULL, doc TEXT, bin BLOB)');
    const { worker, dir } = await startWorker();
    const prefix = `nb_${db.slice(-6)}`;
    try {
      await createConnector(
        worker,
        'noblob',
        connectorConfig(db, dir, {
          'topic.prefix': prefix,
          'snapshot.mode': 'no_data',
          'unavailable.value.placeholder': 'N/A',
          'key.converter.schemas.enable': 'false',
          'value.converter.schemas.enable': 'false',
        }),
      );
      await waitFor(async () => (await connectorStatus(worker, 'noblob')).tasks[0]?.state === 'RUNNING', {
        what: 'task running',
      });
      await conn.query("INSERT INTO t VALUES (1, 1, 'text one', x'0102')");
      await conn.query("SET SESSION binlog_row_image = 'NOBLOB'");
      await conn.query('UPDATE t SET n = 2 WHERE id = 1');
      await conn.query("UPDATE t SET doc = 'text two' WHERE id = 1");
      await conn.query('DELETE FROM t WHERE id = 1');
      const topic = `${prefix}.${db}.t`;
      const events = () =>
        readTopic(worker, topic)
          .filter((r) => r.value)
          .map(
            (r) =>
              r.value as { op: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null },
          );
      await waitFor(() => events().length >= 4, { timeoutMs: 20_000, what: 'four change events' });
      const [insert, update1, update2, del] = events();
      const na = Buffer.from('N/A').toString('base64');
      expect(insert).toMatchObject({
        op: 'c',
        after: { id: 1, n: 1, doc: 'text one', bin: Buffer.from([1, 2]).toString('base64') },
      });
      expect(update1).toMatchObject({
        op: 'u',
        before: { id: 1, n: 1, doc: 'N/A', bin: na },
        after: { id: 1, n: 2, doc: 'N/A', bin: na },
      });
      expect(update2).toMatchObject({
        op: 'u',
        before: { n: 2, doc: 'N/A', bin: na },
        after: { n: 2, doc: 'text two', bin: na },
      });
      expect(del).toMatchObject({ op: 'd', before: { id: 1, n: 2, doc: 'N/A', bin: na }, after: null });
    } finally {
      await worker.stop();
      await conn.query(`DROP DATABASE \`${db}\``);
      await conn.end();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
