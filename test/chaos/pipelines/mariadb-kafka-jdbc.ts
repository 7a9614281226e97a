/**
 * MariaDB (the shared test server) → MySQL source (binlog) → Apache Kafka (a private one-node
 * cluster the scenario may kill and restart) → JDBC sink → a PostgreSQL table.
 * Source state: the MariaDB table's rows; sink state: the sink table's rows (no primary key).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrivateKafkaCluster } from '../../helpers/private-kafka-cluster.ts';
import { connectorConfig, createDatabase } from '../../integration/mysql/helpers.ts';
import { ChaosWorker, type Pipeline } from '../harness.ts';
import { jdbcSinkTable } from './jdbc-sink-table.ts';

export interface KafkaPipeline extends Pipeline {
  cluster: PrivateKafkaCluster;
}

export async function mariadbToKafkaToJdbc(): Promise<KafkaPipeline> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-chaos-kafka-'));
  const cluster = await PrivateKafkaCluster.start({ nodes: 1 });
  const sink = await jdbcSinkTable('chaosmk');
  const { db, conn } = await createDatabase('chaosmk');
  await conn.query('CREATE TABLE chaos_events (id int PRIMARY KEY, payload varchar(64) NOT NULL)');
  const worker = await ChaosWorker.create(
    dir,
    {
      'bootstrap.servers': cluster.brokers.join(','),
      'tributary.data.dir': path.join(dir, 'data'),
    },
    [
      {
        name: 'mariadb-source',
        config: connectorConfig(db, dir, {
          'topic.prefix': 'chaosmk',
          'table.include.list': `${db}.chaos_events`,
          'snapshot.mode': 'initial',
          'errors.retry.timeout': '-1',
          'errors.retry.delay.max.ms': '1000',
        }),
      },
      {
        name: 'jdbc-sink',
        config: {
          ...sink.connector(`chaosmk.${db}.chaos_events`),
          'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        },
      },
    ],
  );
  return {
    cluster,
    worker,
    async produce(from, count) {
      const values = Array.from({ length: count }, (_v, i) => `(${from + i}, 'payload ${from + i}')`).join(',');
      await conn.query(`INSERT IGNORE INTO chaos_events VALUES ${values}`);
    },
    sourceIds: async () =>
      ((await conn.query('SELECT id FROM chaos_events'))[0] as Array<{ id: number }>).map((r) => r.id),
    sinkState: async () => ({ ids: await sink.ids(), malformed: 0 }),
    async close() {
      await worker.kill();
      await cluster.close();
      await conn.query(`DROP DATABASE \`${db}\``).catch(() => undefined);
      await conn.end().catch(() => undefined);
      await sink.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
