/**
 * The Kafka transport against the real broker from the test setup: file source → Kafka → file
 * sink through a standalone worker with bootstrap.servers, then a replay of the sink from the
 * earliest offsets through the REST API.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { testKafkaBrokers } from '../setup/env.ts';
import { waitFor } from '../helpers/wait.ts';

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

const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);

describe('Kafka transport', () => {
  it('runs file source → Kafka → file sink, then replays the sink from the earliest offsets', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-kafka-'));
    // Unique names: consumer groups (connect-<name>) and topics outlive the test in the shared broker.
    const topic = `tributary-${randomUUID()}`;
    const src = `src-${randomUUID()}`;
    const sink = `sink-${randomUUID()}`;
    const input = Array.from({ length: 1000 }, (_v, i) => `line ${i}`);
    fs.writeFileSync(path.join(dir, 'in.txt'), input.join('\n') + '\n');
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'bootstrap.servers': testKafkaBrokers().join(','),
        'tributary.data.dir': path.join(dir, 'data'),
        'file.allowed.paths': dir,
        'offset.flush.interval.ms': '200',
      },
      { logger: silentLogger },
    );
    expect(
      (
        await api('POST', '/connectors', {
          name: src,
          config: {
            'connector.class': 'FileStreamSource',
            file: path.join(dir, 'in.txt'),
            topic,
            'topic.creation.default.partitions': '3',
            'topic.creation.default.replication.factor': '1',
            'topic.creation.default.retention.ms': '604800000',
            'producer.override.compression.type': 'gzip',
          },
        })
      ).status,
    ).toBe(201);
    // The sink would otherwise race the source and create the topic itself with the broker's default
    // partition count (as Kafka Connect's consumer auto-creation would).
    await waitFor(async () => (await api('GET', `/connectors/${src}/topics`)).body[src]?.topics.includes(topic), {
      timeoutMs: 30_000,
      what: 'source topic created',
    });
    expect(
      (
        await api('POST', '/connectors', {
          name: sink,
          config: {
            'connector.class': 'FileStreamSink',
            file: path.join(dir, 'out.txt'),
            topics: topic,
            'tasks.max': '2',
          },
        })
      ).status,
    ).toBe(201);

    await waitFor(() => lines(path.join(dir, 'out.txt')).length === 1000, {
      timeoutMs: 60_000,
      what: '1000 lines through Kafka',
    });
    expect(lines(path.join(dir, 'out.txt')).sort()).toEqual([...input].sort());

    // The source created its topic by its topic.creation.* settings (3 partitions, retention.ms);
    // the records are in Kafka Connect's JsonConverter format.
    const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
    });
    await admin.disconnect();
    expect(described.resources[0].configEntries[0].configValue).toBe('604800000');
    expect(offsets.length).toBe(3);
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(1000);
    const consumer = kafka.consumer({ groupId: `check-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value!.toString());
      },
    });
    await waitFor(() => seen.length === 1000, { timeoutMs: 30_000 });
    await consumer.disconnect();
    expect(seen).toContain('{"schema":{"type":"string","optional":false},"payload":"line 0"}');

    // Source offsets are committed after the broker acknowledged the records; the sink group's too.
    await waitFor(
      async () =>
        (await api('GET', `/connectors/${src}/offsets`)).body.offsets[0]?.offset.position ===
        fs.statSync(path.join(dir, 'in.txt')).size,
    );
    await waitFor(
      async () =>
        (await api('GET', `/connectors/${sink}/offsets`)).body.offsets.reduce(
          (n: number, o: { offset: { kafka_offset: number } }) => n + o.offset.kafka_offset,
          0,
        ) === 1000,
      { timeoutMs: 30_000, what: 'sink group offsets' },
    );

    // Replay everything from the earliest offsets.
    expect((await api('PUT', `/connectors/${sink}/stop`)).status).toBe(204);
    const replay = await api('PATCH', `/connectors/${sink}/offsets`, { timestamp: 'earliest' });
    expect(replay.status).toBe(200);
    expect(replay.body.redelivery.records).toBe(1000);
    expect((await api('PUT', `/connectors/${sink}/resume`)).status).toBe(202);
    await waitFor(() => lines(path.join(dir, 'out.txt')).length === 2000, {
      timeoutMs: 60_000,
      what: 'replayed lines',
    });
    await waitFor(
      async () =>
        (await api('GET', `/connectors/${sink}/status`)).body.tasks.every(
          (t: { state: string }) => t.state === 'RUNNING',
        ),
      { what: 'both sink tasks RUNNING' },
    );
  }, 180_000);

  it('fails fast with a clear error when the brokers cannot be reached', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-kafka-bad-'));
    await expect(
      startStandaloneWorker(
        { listeners: 'http://127.0.0.1:0', 'bootstrap.servers': '127.0.0.1:1', 'tributary.data.dir': dir },
        { logger: silentLogger },
      ),
    ).rejects.toThrow(/Cannot reach the Kafka brokers in bootstrap.servers \(127.0.0.1:1\)/);
  }, 120_000);
});
