/**
 * A source record larger than the producer's limits, through a standalone worker on the test
 * broker: with errors.tolerance=none the task fails naming topic, partition, size and limit; with
 * errors.tolerance=all it is skipped (stage KAFKA_PRODUCE, counted as a skipped record) as Kafka
 * Connect's WorkerSourceTask skips producer send failures, and the others are delivered.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { ConfigDef } from '../../../runtime/config/config-def.ts';
import { SourceRecord } from '../../../runtime/data/records.ts';
import { Schemas } from '../../../runtime/data/schema.ts';
import type { SourceConnector } from '../../../runtime/spi/connector.ts';
import type { RecordMetadata, SourceTask, SourceTaskContext } from '../../../runtime/spi/source.ts';
import type { PluginDescriptor } from '../../../runtime/plugins/types.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { readCommittedValues } from '../../helpers/java-consumer.ts';
import { waitFor } from '../../helpers/wait.ts';

/** Committed records by connector name: [value prefix, metadata was null]. */
const committed = new Map<string, Array<[string, boolean]>>();

/** Emits one poll of strings whose lengths are given by `sizes` (value "r<i>-xxx…"). */
class SizedTask implements SourceTask {
  private props: Record<string, string> = {};
  private done = false;
  private name = '';
  version() {
    return '1.0.0';
  }
  initialize(ctx: SourceTaskContext) {
    this.name = ctx.connectorName;
  }
  start(props: Record<string, string>) {
    this.props = props;
  }
  async poll(): Promise<SourceRecord[] | null> {
    if (this.done) {
      await new Promise((r) => setTimeout(r, 20));
      return null;
    }
    this.done = true;
    return this.props.sizes.split(',').map(
      (s, i) =>
        new SourceRecord({
          topic: this.props.topic,
          kafkaPartition: 0,
          sourcePartition: { sized: 1 },
          sourceOffset: { i },
          valueSchema: Schemas.STRING,
          value: `r${i}-`.padEnd(Number(s), 'x'),
        }),
    );
  }
  commitRecord(record: SourceRecord, metadata: RecordMetadata | null) {
    committed.set(this.name, [
      ...(committed.get(this.name) ?? []),
      [String(record.value).slice(0, 4), metadata === null],
    ]);
  }
  stop() {}
}

class SizedConnector implements SourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};
  version() {
    return '1.0.0';
  }
  config() {
    return new ConfigDef()
      .define({ name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'Topic.' })
      .define({ name: 'sizes', type: 'STRING', importance: 'HIGH', documentation: 'Value lengths.' });
  }
  start(props: Record<string, string>) {
    this.props = props;
  }
  taskConfigs() {
    return [{ ...this.props }];
  }
  createTask() {
    return new SizedTask();
  }
  stop() {}
}

const plugins: PluginDescriptor[] = [
  { type: 'source', className: 'test.SizedSourceConnector', version: '1.0.0', create: () => new SizedConnector() },
];

let worker: RunningWorker | undefined;
afterAll(() => worker?.stop());

async function api(method: string, p: string, body?: unknown) {
  const res = await fetch(worker!.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('a record larger than the limits', () => {
  it('fails the task naming topic, partition, size and limit, or is skipped under errors.tolerance=all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-too-large-'));
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'bootstrap.servers': testKafkaBrokers().join(','),
        'tributary.data.dir': dir,
        'offset.flush.interval.ms': '200',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      },
      { logger: silentLogger, plugins },
    );
    const id = randomUUID().slice(0, 8);
    const sizes = '100,1500000,200';
    const common = {
      'connector.class': 'test.SizedSourceConnector',
      sizes,
      'topic.creation.default.partitions': '1',
      'topic.creation.default.replication.factor': '1',
    };

    const strict = `too-large-none-${id}`;
    expect((await api('POST', '/connectors', { name: strict, config: { ...common, topic: strict } })).status).toBe(201);
    const trace = await waitFor(
      async () => {
        const t = (await api('GET', `/connectors/${strict}/status`)).body?.tasks?.[0];
        return t?.state === 'FAILED' ? (t.trace as string) : undefined;
      },
      { timeoutMs: 60_000, what: 'the strict task failed' },
    );
    expect(trace).toMatch(
      new RegExp(
        `RecordTooLargeException: a record for topic ${strict} partition 0 is 15\\d{5} bytes when serialized, larger than max.request.size=1048576`,
      ),
    );

    const tolerant = `too-large-all-${id}`;
    expect(
      (
        await api('POST', '/connectors', {
          name: tolerant,
          config: { ...common, topic: tolerant, 'errors.tolerance': 'all', 'errors.log.enable': 'true' },
        })
      ).status,
    ).toBe(201);
    await waitFor(() => (committed.get(tolerant)?.length ?? 0) === 3, {
      timeoutMs: 60_000,
      what: 'all three records committed to the task',
    });
    expect(committed.get(tolerant)!.sort()).toEqual([
      ['r0-x', false],
      ['r1-x', true],
      ['r2-x', false],
    ]);
    expect((await api('GET', `/connectors/${tolerant}/status`)).body.tasks[0].state).toBe('RUNNING');
    expect(readCommittedValues(testKafkaBrokers(), tolerant).map((v) => v.slice(0, 4))).toEqual(['r0-x', 'r2-x']);
  }, 120_000);
});
