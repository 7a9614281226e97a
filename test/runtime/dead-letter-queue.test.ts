/**
 * errors.tolerance=all with a dead letter queue: poison records (bad JSON, and records put()
 * rejects through the ErrantRecordReporter) land on the DLQ with their original bytes and Kafka
 * Connect's context headers; every good record is delivered; the metrics count both.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { testPlugins, collectedBySink } from '../helpers/test-plugins.ts';
import { waitFor } from '../helpers/wait.ts';

let worker: RunningWorker;
afterAll(() => worker?.stop());

const headerMap = (h: Array<{ key: string; value: Buffer | null }>) =>
  Object.fromEntries(h.map((x) => [x.key, x.value?.toString('utf8')]));

describe('dead letter queue', () => {
  it('routes conversion failures and errant put() records to the DLQ and counts them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-dlq-'));
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': dir,
        'offset.flush.interval.ms': '0',
        'tributary.log.sync': 'os',
      },
      { plugins: testPlugins, logger: silentLogger },
    );
    const sender = worker.transport.createSender('test-producer');
    const values = ['{"id":1}', 'not json {', '{"id":2,"note":"reject me"}', '{"id":3}', '[unterminated', '{"id":4}'];
    await sender.send(
      values.map((v, i) => ({
        topic: 'orders',
        partition: null,
        key: Buffer.from(`k${i}`),
        value: Buffer.from(v),
        timestamp: 1_700_000_000_000 + i,
        headers: [{ key: 'origin', value: Buffer.from('test') }],
      })),
    );

    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'dlq-sink',
        config: {
          'connector.class': 'test.RejectingSinkConnector',
          topics: 'orders',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'errors.tolerance': 'all',
          'errors.deadletterqueue.topic.name': 'orders-dlq',
          'errors.deadletterqueue.context.headers.enable': 'true',
        },
      }),
    });
    expect(res.status).toBe(201);

    await waitFor(
      () => worker.embedded.log.endOffset({ topic: 'orders-dlq', partition: 0 }) === 3 && collectedBySink.length === 3,
      { what: 'DLQ and sink records' },
    );
    expect(collectedBySink).toEqual([{ id: 1 }, { id: 3 }, { id: 4 }]);

    const dlq = worker.embedded.log.read({ topic: 'orders-dlq', partition: 0 }, 0);
    // Conversion failures are found before put() sees the batch, so they reach the DLQ first.
    expect(dlq.map((r) => r.value!.toString())).toEqual(['not json {', '[unterminated', '{"id":2,"note":"reject me"}']);
    expect(dlq.map((r) => r.key!.toString())).toEqual(['k1', 'k4', 'k2']);
    expect(dlq.map((r) => r.timestamp)).toEqual([1_700_000_000_001, 1_700_000_000_004, 1_700_000_000_002]);
    const first = headerMap(dlq[0].headers);
    expect(first).toMatchObject({
      origin: 'test',
      '__connect.errors.topic': 'orders',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': 'dlq-sink',
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': 'JsonConverter',
      '__connect.errors.exception.class.name': 'org.apache.kafka.connect.errors.DataException',
    });
    expect(first['__connect.errors.exception.message']).toMatch(
      /Converting byte\[\] to Kafka Connect data failed due to serialization error/,
    );
    expect(first['__connect.errors.exception.stacktrace']).toMatch(/DataException/);
    expect(headerMap(dlq[2].headers)).toMatchObject({
      '__connect.errors.stage': 'TASK_PUT',
      '__connect.errors.offset': '2',
      '__connect.errors.exception.message': 'cannot write {"id":2,"note":"reject me"}',
    });

    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toContain('kafka_connect_task_error_total_record_errors{connector="dlq-sink",task="0"} 3');
    expect(metrics).toContain('kafka_connect_task_error_total_records_skipped{connector="dlq-sink",task="0"} 3');
    expect(metrics).toContain(
      'kafka_connect_task_error_deadletterqueue_produce_requests{connector="dlq-sink",task="0"} 3',
    );
    expect(metrics).toContain('kafka_connect_sink_task_sink_record_read_total{connector="dlq-sink",task="0"} 6');
    expect(
      ((await (await fetch(`${worker.url}/connectors/dlq-sink/status`)).json()) as { tasks: Array<{ state: string }> })
        .tasks[0].state,
    ).toBe('RUNNING');
  });

  it('fails the task with errors.tolerance=none', async () => {
    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'strict-sink',
        config: {
          'connector.class': 'test.RejectingSinkConnector',
          topics: 'orders',
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
        },
      }),
    });
    expect(res.status).toBe(201);
    const status = await waitFor(async () => {
      const s = (await (await fetch(`${worker.url}/connectors/strict-sink/status`)).json()) as {
        tasks: Array<{ state: string; trace?: string }>;
      };
      return s.tasks[0]?.state === 'FAILED' ? s : null;
    });
    expect(status.tasks[0].trace).toMatch(/VALUE_CONVERTER/);
    // Nothing was committed past the failure: the poison record's offset is not skipped.
    const offsets = (await (await fetch(`${worker.url}/connectors/strict-sink/offsets`)).json()) as {
      offsets: unknown[];
    };
    expect(offsets.offsets).toEqual([]);
  });
});
