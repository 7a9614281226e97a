/**
 * Replay from a point in time: a stopped sink's offsets move to the first records at or after a
 * timestamp (REST PATCH with {"timestamp"} and the CLI's --to-datetime), the response counts what
 * will be re-delivered, and exactly those records arrive again. A new sink can start at a time.
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { waitFor } from '../helpers/wait.ts';
import { main } from '../../cli/main.ts';

let worker: RunningWorker;
let dir: string;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const minute = 60_000;

async function api(method: string, p: string, body?: unknown) {
  const res = await fetch(worker.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-replay-'));
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': dir,
      'file.allowed.paths': dir,
      'offset.flush.interval.ms': '0',
      'tributary.log.sync': 'os',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
    { logger: silentLogger },
  );
  // Ten events, one a minute, in two partitions.
  await worker.transport.admin.createTopic('events', 2);
  const sender = worker.transport.createSender('test');
  await sender.send(
    Array.from({ length: 10 }, (_v, i) => ({
      topic: 'events',
      partition: i % 2,
      key: null,
      value: Buffer.from(`e${i}`),
      timestamp: T0 + i * minute,
      headers: [],
    })),
  );
});
afterAll(() => worker?.stop());

describe('replay from timestamps', () => {
  it('re-delivers exactly the records at or after the timestamp', async () => {
    const out = path.join(dir, 'out.txt');
    expect(
      (
        await api('POST', '/connectors', {
          name: 'sink',
          config: { 'connector.class': 'FileStreamSink', topics: 'events', file: out },
        })
      ).status,
    ).toBe(201);
    await waitFor(() => lines(out).length === 10);
    expect((await api('PATCH', '/connectors/sink/offsets', { timestamp: '2026-01-01T00:06:00Z' })).status).toBe(400); // not stopped
    await api('PUT', '/connectors/sink/stop');

    const r = await api('PATCH', '/connectors/sink/offsets', { timestamp: '2026-01-01T00:06:00Z' });
    expect(r.status).toBe(200);
    expect(r.body.redelivery).toEqual({
      records: 4,
      partitions: [
        { kafka_topic: 'events', kafka_partition: 0, kafka_offset: 3, records: 2 },
        { kafka_topic: 'events', kafka_partition: 1, kafka_offset: 3, records: 2 },
      ],
    });
    expect(r.body.message).toMatch(
      /4 record\(s\) in 2 partition\(s\) will be re-delivered from 2026-01-01T00:06:00.000Z/,
    );
    await api('PUT', '/connectors/sink/resume');
    await waitFor(() => lines(out).length === 14, { what: '4 re-delivered records' });
    expect(lines(out).slice(10).sort()).toEqual(['e6', 'e7', 'e8', 'e9']);
  });

  it('replays through the CLI with --to-datetime and --to-earliest, and rejects bad input', async () => {
    const out = path.join(dir, 'out.txt');
    await api('PUT', '/connectors/sink/stop');
    const io = { stdout: new Collect(), stderr: new Collect() };
    expect(
      await main(['offsets', 'reset', 'sink', '--to-datetime', String(T0 + 8 * minute), '--url', worker.url], io),
    ).toBe(0);
    expect(JSON.parse(io.stdout.text).redelivery.records).toBe(2);
    const io2 = { stdout: new Collect(), stderr: new Collect() };
    expect(
      await main(['offsets', 'reset', 'sink', '--to-earliest', '--topic', 'events', '--url', worker.url], io2),
    ).toBe(0);
    expect(JSON.parse(io2.stdout.text).redelivery.records).toBe(10);
    const bad = await api('PATCH', '/connectors/sink/offsets', { timestamp: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/Invalid timestamp "yesterday": use an ISO-8601 date-time/);
    await api('PUT', '/connectors/sink/resume');
    await waitFor(() => lines(out).length === 24, { what: 'all 10 records again' });
  });

  it('starts a new sink at tributary.start.timestamp', async () => {
    const out = path.join(dir, 'late.txt');
    const r = await api('POST', '/connectors', {
      name: 'late',
      config: {
        'connector.class': 'FileStreamSink',
        topics: 'events',
        file: out,
        'tributary.start.timestamp': '2026-01-01T00:07:30Z',
      },
    });
    expect(r.status).toBe(201);
    await waitFor(() => lines(out).length === 2);
    expect(lines(out).sort()).toEqual(['e8', 'e9']);
    const bad = await api('POST', '/connectors', {
      name: 'bad',
      config: { 'connector.class': 'FileStreamSink', topics: 'events', file: out, 'tributary.start.timestamp': 'soon' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/tributary.start.timestamp/);
  });

  it('refuses timestamp replay for a source connector with a clear message', async () => {
    fs.writeFileSync(path.join(dir, 'in.txt'), 'x\n');
    await api('POST', '/connectors', {
      name: 'src',
      initial_state: 'STOPPED',
      config: { 'connector.class': 'FileStreamSource', topic: 'x', file: path.join(dir, 'in.txt') },
    });
    const r = await api('PATCH', '/connectors/src/offsets', { timestamp: 'earliest' });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(
      /Replay by timestamp needs a source whose history the connector can read from a point in time; src \(FileStreamSource\) does not offer it/,
    );
  });
});

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}
