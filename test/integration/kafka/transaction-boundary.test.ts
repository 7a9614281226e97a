/**
 * transaction.boundary interval and connector on an exactly-once worker against the test broker.
 * Where transactions end is read from the topic itself: every committed or aborted transaction
 * leaves a control record (a marker) that takes one offset, so a read_committed consumer sees a gap
 * in the offsets after each transaction's last record (and the aborted records add to the gap).
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { startDistributedWorker, type RunningDistributedWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { ConfigDef } from '../../../runtime/config/config-def.ts';
import { SourceRecord } from '../../../runtime/data/records.ts';
import { Schemas } from '../../../runtime/data/schema.ts';
import type { SourceConnector } from '../../../runtime/spi/connector.ts';
import type { SourceTask, SourceTaskContext } from '../../../runtime/spi/source.ts';
import type { PluginDescriptor } from '../../../runtime/plugins/types.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { readCommittedValues } from '../../helpers/java-consumer.ts';
import { waitFor } from '../../helpers/wait.ts';

/**
 * Emits `r0`…`r59` in polls of 7 and marks boundaries: records 0–39 by record (commit after every
 * tenth, except that the third ten is aborted), from record 40 on by batch (commit after each poll).
 */
class BoundaryTask implements SourceTask {
  private ctx!: SourceTaskContext;
  private n = 0;
  private topic = '';
  version() {
    return '1.0.0';
  }
  initialize(ctx: SourceTaskContext) {
    this.ctx = ctx;
  }
  start(props: Record<string, string>) {
    this.topic = props.topic;
    const off = this.ctx.offsetStorageReader.offset({ source: 'boundaries' });
    this.n = typeof off?.n === 'number' ? off.n : 0;
  }
  async poll(): Promise<SourceRecord[] | null> {
    if (this.n >= 60) {
      await new Promise((r) => setTimeout(r, 20));
      return null;
    }
    const tx = this.ctx.transactionContext!;
    const out: SourceRecord[] = [];
    while (out.length < 7 && this.n < 60) {
      const i = this.n++;
      const r = new SourceRecord({
        topic: this.topic,
        kafkaPartition: 0,
        sourcePartition: { source: 'boundaries' },
        sourceOffset: { n: this.n },
        valueSchema: Schemas.STRING,
        value: `r${i}`,
      });
      if (i < 40 && i % 10 === 9) {
        if (i >= 20 && i < 30) tx.abortTransaction(r);
        else tx.commitTransaction(r);
      }
      if (i >= 40) tx.commitTransaction();
      out.push(r);
    }
    return out;
  }
  stop() {}
}

class BoundaryConnector implements SourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};
  constructor(private readonly declares: boolean) {}
  version() {
    return '1.0.0';
  }
  config() {
    return new ConfigDef().define({
      name: 'topic',
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'Topic to write to.',
    });
  }
  start(props: Record<string, string>) {
    this.props = props;
  }
  taskConfigs() {
    return [{ ...this.props }];
  }
  createTask() {
    return new BoundaryTask();
  }
  exactlyOnceSupport(): 'SUPPORTED' {
    return 'SUPPORTED';
  }
  canDefineTransactionBoundaries(): 'SUPPORTED' | 'UNSUPPORTED' {
    return this.declares ? 'SUPPORTED' : 'UNSUPPORTED';
  }
  stop() {}
}

const plugins: PluginDescriptor[] = [
  {
    type: 'source',
    className: 'test.BoundarySourceConnector',
    version: '1.0.0',
    create: () => new BoundaryConnector(true),
  },
  {
    type: 'source',
    className: 'test.NoBoundarySourceConnector',
    version: '1.0.0',
    create: () => new BoundaryConnector(false),
  },
];

const workers: RunningDistributedWorker[] = [];
afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()));
});

async function api(w: RunningDistributedWorker, method: string, p: string, body?: unknown) {
  const res = await fetch(w.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function startWorker(id: string): Promise<RunningDistributedWorker> {
  const w = await startDistributedWorker(
    {
      'bootstrap.servers': testKafkaBrokers().join(','),
      listeners: 'http://127.0.0.1:0',
      'group.id': `txb-${id}`,
      'config.storage.topic': `txb-${id}-configs`,
      'offset.storage.topic': `txb-${id}-offsets`,
      'status.storage.topic': `txb-${id}-status`,
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'offset.storage.partitions': '1',
      'status.storage.partitions': '1',
      'offset.flush.interval.ms': '200',
      'exactly.once.source.support': 'enabled',
      'file.allowed.paths': os.tmpdir(),
    },
    { logger: silentLogger, plugins },
  );
  workers.push(w);
  await waitFor(() => w.view()?.members.length === 1, { timeoutMs: 60_000, what: 'the worker in its group' });
  return w;
}

async function create(w: RunningDistributedWorker, name: string, config: Record<string, string>): Promise<void> {
  await waitFor(async () => (await api(w, 'POST', '/connectors', { name, config })).status === 201, {
    timeoutMs: 60_000,
    what: `${name} created`,
  });
}

/** Fails the wait at once (with the task's trace) when the task failed. */
async function running(w: RunningDistributedWorker, name: string): Promise<void> {
  const st = (await api(w, 'GET', `/connectors/${name}/status`)).body as {
    tasks?: Array<{ state: string; trace?: string }>;
  };
  if (st.tasks?.[0]?.state === 'FAILED') throw new Error(`task ${name}-0 failed: ${st.tasks[0].trace}`);
}

const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });

/**
 * The last stable offset of a one-partition topic (kafkajs lists offsets read_committed): with no
 * transaction open, the records plus one marker per transaction (and aborted records).
 */
async function endOffset(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return Number((await admin.fetchTopicOffsets(topic).catch(() => [{ high: '0' }]))[0].high);
  } finally {
    await admin.disconnect();
  }
}

/** What a consumer sees (read_committed unless `uncommitted`), with offsets: [offset, value]. */
async function consumed(topic: string, expected: number, uncommitted = false): Promise<Array<[number, string]>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(async () => (await admin.listTopics()).includes(topic), {
      timeoutMs: 60_000,
      what: `topic ${topic}`,
    });
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `txb-check-${randomUUID()}`, readUncommitted: uncommitted });
  const seen: Array<[number, string]> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push([Number(message.offset), (JSON.parse(message.value!.toString()) as { payload: string }).payload]);
      },
    });
    await waitFor(() => seen.length >= expected, {
      timeoutMs: 30_000,
      what: `${expected} committed records of ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

const payloads = (topic: string) =>
  readCommittedValues(testKafkaBrokers(), topic).map((v) => (JSON.parse(v) as { payload: string }).payload);

describe('transaction.boundary on an exactly-once worker', () => {
  it('connector: transactions end (commit or abort) where the task says, by record or by batch', async () => {
    const id = randomUUID().slice(0, 8);
    const w = await startWorker(id);
    const topic = `txb-${id}-connector`;

    // Connectors that do not declare canDefineTransactionBoundaries are refused, as Kafka Connect does.
    const refused = await api(w, 'PUT', '/connector-plugins/test.NoBoundarySourceConnector/config/validate', {
      'connector.class': 'test.NoBoundarySourceConnector',
      name: 'x',
      topic,
      'transaction.boundary': 'connector',
    });
    expect(
      refused.body.configs.find((c: { value: { name: string } }) => c.value.name === 'transaction.boundary').value
        .errors,
    ).toEqual([
      'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
    ]);
    expect(
      (
        await api(w, 'POST', '/connectors', {
          name: `refused-${id}`,
          config: { 'connector.class': 'test.NoBoundarySourceConnector', topic, 'transaction.boundary': 'connector' },
        })
      ).status,
    ).toBe(400);
    const misplaced = await api(w, 'PUT', '/connector-plugins/test.BoundarySourceConnector/config/validate', {
      'connector.class': 'test.BoundarySourceConnector',
      name: 'x',
      topic,
      'transaction.boundary.interval.ms': '100',
    });
    expect(
      misplaced.body.configs.find(
        (c: { value: { name: string } }) => c.value.name === 'transaction.boundary.interval.ms',
      ).value.errors[0],
    ).toMatch(/has no effect with transaction.boundary=poll/);

    await create(w, `txb-${id}`, {
      'connector.class': 'test.BoundarySourceConnector',
      topic,
      'transaction.boundary': 'connector',
      'exactly.once.support': 'required',
      'topic.creation.default.partitions': '1',
      'topic.creation.default.replication.factor': '1',
    });
    // Polls: 0–6, 7–13, …, 35–41, 42–48, 49–55, 56–59. Transactions end after r9, r19, r29 (aborted),
    // r39 (by record) and after the polls ending at r41, r48, r55, r59 (by batch).
    const want = Array.from({ length: 60 }, (_x, i) => `r${i}`).filter((_v, i) => i < 20 || i >= 30);
    await waitFor(
      async () => {
        await running(w, `txb-${id}`);
        return (await endOffset(topic)) === 60 + 8;
      },
      { timeoutMs: 60_000, what: 'all transactions ended' },
    );
    const seen = await consumed(topic, want.length);
    expect(seen.map(([, v]) => v)).toEqual(want);
    const gapsAfter = new Map<string, number>();
    for (let i = 1; i < seen.length; i++) {
      const gap = seen[i][0] - seen[i - 1][0] - 1;
      if (gap > 0) gapsAfter.set(seen[i - 1][1], gap);
    }
    // One marker per transaction; after r19 also the ten aborted records and their abort marker.
    expect(Object.fromEntries(gapsAfter)).toEqual({ r9: 1, r19: 12, r39: 1, r41: 1, r48: 1, r55: 1 });
    expect(payloads(topic)).toEqual(want);
    // The aborted records' offsets were committed: the task is not handed them again.
    await waitFor(async () => (await api(w, 'GET', `/connectors/txb-${id}/offsets`)).body.offsets[0]?.offset.n === 60, {
      timeoutMs: 30_000,
      what: 'the source offset',
    });
  }, 120_000);

  it('interval: one transaction spans many polls, committed when the interval elapses, on pause and on stop', async () => {
    const id = randomUUID().slice(0, 8);
    const w = await startWorker(id);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-txb-'));
    const input = path.join(dir, 'in.txt');
    const topic = `txb-${id}-interval`;
    const lines = (from: number, n: number) => Array.from({ length: n }, (_x, i) => `line ${from + i}`);
    fs.writeFileSync(input, lines(0, 500).join('\n') + '\n');
    // An interval far longer than the test: only pause and stop end the transactions here.
    await create(w, `txi-${id}`, {
      'connector.class': 'FileStreamSource',
      file: input,
      topic,
      'batch.size': '10',
      'transaction.boundary': 'interval',
      'transaction.boundary.interval.ms': '600000',
      'topic.creation.default.partitions': '1',
      'topic.creation.default.replication.factor': '1',
    });
    await waitFor(() => running(w, `txi-${id}`).then(() => true), { what: 'the task running' });
    expect((await consumed(topic, 500, true)).map(([, v]) => v)).toEqual(lines(0, 500));
    // 50 polls, no transaction ended: read_committed consumers see nothing yet.
    expect(await endOffset(topic)).toBe(0);
    expect(payloads(topic)).toEqual([]);
    expect((await api(w, 'GET', `/connectors/txi-${id}/offsets`)).body.offsets).toEqual([]);

    expect((await api(w, 'PUT', `/connectors/txi-${id}/pause`)).status).toBe(202);
    await waitFor(async () => (await endOffset(topic)) === 501, {
      timeoutMs: 30_000,
      what: 'the transaction committed on pause',
    });
    expect(payloads(topic)).toEqual(lines(0, 500));
    await waitFor(
      async () =>
        (await api(w, 'GET', `/connectors/txi-${id}/offsets`)).body.offsets[0]?.offset.position ===
        fs.statSync(input).size,
      { timeoutMs: 30_000, what: 'the offsets committed with the records' },
    );

    fs.appendFileSync(input, lines(500, 100).join('\n') + '\n');
    expect((await api(w, 'PUT', `/connectors/txi-${id}/resume`)).status).toBe(202);
    expect((await consumed(topic, 600, true)).length).toBe(600);
    expect(await endOffset(topic)).toBe(501);
    expect((await api(w, 'PUT', `/connectors/txi-${id}/stop`)).status).toBe(204);
    await waitFor(async () => (await endOffset(topic)) === 602, {
      timeoutMs: 30_000,
      what: 'the transaction committed on stop',
    });
    expect(payloads(topic)).toEqual(lines(0, 600));
  }, 120_000);

  it('interval: commits by itself once the interval elapsed', async () => {
    const id = randomUUID().slice(0, 8);
    const w = await startWorker(id);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-txb-'));
    const input = path.join(dir, 'in.txt');
    const topic = `txb-${id}-elapsed`;
    fs.writeFileSync(input, Array.from({ length: 300 }, (_x, i) => `line ${i}`).join('\n') + '\n');
    await create(w, `txe-${id}`, {
      'connector.class': 'FileStreamSource',
      file: input,
      topic,
      'batch.size': '10',
      'transaction.boundary': 'interval',
      'transaction.boundary.interval.ms': '500',
      'topic.creation.default.partitions': '1',
      'topic.creation.default.replication.factor': '1',
    });
    await waitFor(() => payloads(topic).length === 300, {
      timeoutMs: 60_000,
      intervalMs: 1000,
      what: 'all lines committed by the interval',
    });
    // 30 polls, far fewer transactions (each leaves one marker) than with transaction.boundary=poll.
    const markers = (await endOffset(topic)) - 300;
    expect(markers).toBeGreaterThanOrEqual(1);
    expect(markers).toBeLessThan(30);
    expect(payloads(topic)).toEqual(Array.from({ length: 300 }, (_x, i) => `line ${i}`));
  }, 120_000);
});
