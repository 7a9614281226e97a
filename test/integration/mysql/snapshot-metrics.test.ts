/** Snapshot progress of the MySQL/MariaDB connector: Debezium's snapshot MBean over /jolokia and /metrics, and the task status. */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { waitFor } from '../../helpers/wait.ts';
import { connectorConfig, createConnector, createDatabase, startWorker } from './helpers.ts';

describe('MySQL snapshot metrics', () => {
  it('reports tables and rows scanned against the estimates in the snapshot MBean and the status', async () => {
    const { db, conn } = await createDatabase('snapmetrics');
    await conn.query('CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(20))');
    await conn.query('CREATE TABLE b (id INT PRIMARY KEY)');
    await conn.query("INSERT INTO a SELECT seq, CONCAT('v', seq) FROM seq_1_to_2000");
    await conn.query('INSERT INTO b SELECT seq FROM seq_1_to_5');
    await conn.query('ANALYZE TABLE a, b');
    const { worker, dir } = await startWorker();
    const prefix = `metrics_${db.slice(-6)}`;
    try {
      await createConnector(
        worker,
        'snapmetrics',
        connectorConfig(db, dir, { 'topic.prefix': prefix, 'snapshot.mode': 'initial' }),
      );
      const mbean = `debezium.mysql:type=connector-metrics,context=snapshot,server=${prefix}`;
      const read = async (): Promise<Record<string, unknown> | undefined> =>
        ((await (await fetch(`${worker.url}/jolokia/read/${mbean}`)).json()) as { value?: Record<string, unknown> })
          .value;
      await waitFor(async () => (await read())?.SnapshotCompleted === true, {
        timeoutMs: 30_000,
        what: 'snapshot completed',
      });
      const v = (await read())!;
      expect(v).toMatchObject({
        TotalTableCount: 2,
        RemainingTableCount: 0,
        SnapshotRunning: false,
        SnapshotCompleted: true,
        RowsScanned: { [`${db}.a`]: 2000, [`${db}.b`]: 5 },
        TotalRowsScanned: 2005,
      });
      // TABLE_ROWS is InnoDB's estimate: present, not exact.
      expect(Object.keys(v.RowsEstimated as object).sort()).toEqual([`${db}.a`, `${db}.b`]);
      const prom = await (await fetch(`${worker.url}/metrics`)).text();
      expect(prom).toContain(`debezium_metrics_TotalTableCount{plugin="mysql",context="snapshot",name="${prefix}"} 2`);
      const status = (await (await fetch(`${worker.url}/connectors/snapmetrics/status`)).json()) as {
        tasks: Array<{ state: string; snapshot?: Record<string, unknown> }>;
      };
      expect(status.tasks[0]).toMatchObject({
        state: 'RUNNING',
        snapshot: { phase: 'done', tablesTotal: 2, tablesDone: 2, rowsScanned: 2005 },
      });
    } finally {
      await worker.stop();
      await conn.query(`DROP DATABASE \`${db}\``);
      await conn.end();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
