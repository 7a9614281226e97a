/**
 * max.queue.size.in.bytes, as Debezium's MySQL connector has it: the binlog events read ahead of a
 * task that is not taking them (here: paused) stop at that many bytes, the streaming MBean reports
 * the bound and what is held (MaxQueueSizeInBytes, CurrentQueueSizeInBytes), and every row arrives
 * once the task takes them again.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { waitFor } from '../../helpers/wait.ts';
import { connectorConfig, createConnector, createDatabase, readTopic, startWorker } from './helpers.ts';

const BOUND = 256 * 1024;
const ROWS = 120;
const ROW_BYTES = 48 * 1024;

describe('MySQL max.queue.size.in.bytes', () => {
  it('bounds the binlog read-ahead by bytes and reports it in the streaming MBean', async () => {
    const { db, conn } = await createDatabase('qbytes');
    await conn.query('CREATE TABLE blobs (id INT PRIMARY KEY, b LONGBLOB)');
    const { worker, dir } = await startWorker();
    const prefix = `qbytes_${db.slice(-6)}`;
    const name = 'qbytes';
    const api = (method: string, p: string) => fetch(`${worker.url}${p}`, { method });
    try {
      await createConnector(
        worker,
        name,
        connectorConfig(db, dir, {
          'topic.prefix': prefix,
          'snapshot.mode': 'no_data',
          'max.queue.size.in.bytes': String(BOUND),
        }),
      );
      const mbean = `debezium.mysql:type=connector-metrics,context=streaming,server=${prefix}`;
      const read = async () =>
        ((await (await fetch(`${worker.url}/jolokia/read/${mbean}`)).json()) as { value?: Record<string, number> })
          .value;
      await waitFor(async () => (await read())?.Connected === (true as unknown as number), {
        timeoutMs: 30_000,
        what: 'the binlog stream connected',
      });
      expect((await read())!.MaxQueueSizeInBytes).toBe(BOUND);

      expect((await api('PUT', `/connectors/${name}/pause`)).status).toBe(202);
      await waitFor(
        async () =>
          ((await (await api('GET', `/connectors/${name}/status`)).json()) as { tasks: Array<{ state: string }> })
            .tasks[0]?.state === 'PAUSED',
        { what: 'the task paused' },
      );
      const payload = Buffer.alloc(ROW_BYTES, 0x61);
      for (let i = 1; i <= ROWS; i++) await conn.query('INSERT INTO blobs VALUES (?, ?)', [i, payload]);

      // The socket pauses once the bound is reached: what is held stops growing just past it.
      let last = -1;
      let stableSince = Date.now();
      await waitFor(
        async () => {
          const held = (await read())!.CurrentQueueSizeInBytes;
          if (held !== last) {
            last = held;
            stableSince = Date.now();
          }
          return held > 0 && Date.now() - stableSince >= 1000;
        },
        { timeoutMs: 30_000, what: 'the read-ahead settled' },
      );
      expect(last).toBeGreaterThanOrEqual(BOUND);
      // At most the rest of the socket chunk being parsed when the socket was paused.
      expect(last).toBeLessThan(BOUND + 256 * 1024);

      expect((await api('PUT', `/connectors/${name}/resume`)).status).toBe(202);
      const topic = `${prefix}.${db}.blobs`;
      await waitFor(() => readTopic(worker, topic).length === ROWS, { timeoutMs: 60_000, what: `${ROWS} rows` });
      expect(readTopic(worker, topic).map((r) => r.value.payload.after.id)).toEqual(
        Array.from({ length: ROWS }, (_x, i) => i + 1),
      );
    } finally {
      await worker.stop();
      await conn.query(`DROP DATABASE \`${db}\``);
      await conn.end();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
