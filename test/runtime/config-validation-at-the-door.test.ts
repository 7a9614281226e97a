/**
 * Issue 22: bad configs are refused when they are sent (400 naming key and value), not when a task
 * runs: illegal topic names in every place a connector names a topic, a non-string connector name,
 * validation of an unknown plugin, and type errors that say what was given and what is expected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';

let worker: RunningWorker;
let dir: string;

async function api(
  method: string,
  p: string,
  body?: unknown,
): Promise<{
  status: number;
  body: { message?: string; error_count?: number; configs?: Array<{ value: { name: string; errors: string[] } }> };
}> {
  const res = await fetch(worker.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-door-'));
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'tributary.log.sync': 'os',
      'file.allowed.paths': dir,
    },
    { logger: silentLogger },
  );
});
afterAll(() => worker?.stop());

const create = (name: unknown, config: Record<string, unknown>) => api('POST', '/connectors', { name, config });
const sink = (extra: Record<string, string>) => ({
  'connector.class': 'FileStreamSink',
  file: path.join(dir, 'out.txt'),
  topics: 'orders',
  ...extra,
});

describe('topic names at create and update', () => {
  it('refuses illegal topic names with 400 naming the key and the value, and creates nothing', async () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [
        sink({ topics: 'orders,../../x' }),
        'topics',
        /Topic name "\.\.\/\.\.\/x" is illegal.*\(topics="orders,\.\.\/\.\.\/x"\)/,
      ],
      [sink({ topics: 'my orders' }), 'topics', /Topic name "my orders" is illegal/],
      [
        { 'connector.class': 'FileStreamSource', file: path.join(dir, 'in.txt'), topic: 'x'.repeat(300) },
        'topic',
        /can't be longer than 249 characters \(it has 300\)/,
      ],
      [
        { 'connector.class': 'FileStreamSource', file: path.join(dir, 'in.txt'), topic: '..' },
        'topic',
        /Topic name cannot be "\." or "\.\."/,
      ],
      [
        sink({ 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': 'dlq topic' }),
        'errors.deadletterqueue.topic.name',
        /Topic name "dlq topic" is illegal/,
      ],
      [
        sink({
          transforms: 'route',
          'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
          'transforms.route.regex': '.*',
          'transforms.route.replacement': 'to/where',
        }),
        'transforms.route.replacement',
        /Topic name "to\/where" is illegal/,
      ],
      [
        {
          'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
          'database.hostname': '127.0.0.1',
          'database.user': 'u',
          'database.password': 'p',
          'database.dbname': 'shop',
          'topic.prefix': 'shop/eu',
        },
        'topic.prefix',
        /The prefix "shop\/eu" makes illegal topic names.*\(topic\.prefix="shop\/eu"\)/,
      ],
    ];
    for (const [i, [config, key, message]] of cases.entries()) {
      const r = await create(`bad-topic-${i}`, config);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.message).toContain(`Invalid value for configuration ${key}:`);
      expect(r.body.message).toMatch(message);
      expect((await api('GET', `/connectors/bad-topic-${i}`)).status).toBe(404);
    }
    // The validate endpoint reports the same error on the key.
    const v = await api('PUT', '/connector-plugins/FileStreamSink/config/validate', sink({ topics: '../../x' }));
    expect(v.body.configs!.find((c) => c.value.name === 'topics')!.value.errors[0]).toContain(
      'Topic name "../../x" is illegal',
    );
    // A router target with group references depends on the record and is not refused.
    expect(
      (
        await create(
          'dynamic-route',
          sink({
            transforms: 'r',
            'transforms.r.type': 'RegexRouter',
            'transforms.r.regex': '(.*)',
            'transforms.r.replacement': 'copy-$1',
          }),
        )
      ).status,
    ).toBe(201);
  });

  it('refuses an update that introduces an illegal topic name, keeping the old config', async () => {
    expect((await create('update-me', sink({}))).status).toBe(201);
    const r = await api('PUT', '/connectors/update-me/config', sink({ topics: 'a b' }));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('Topic name "a b" is illegal');
    expect(((await api('GET', '/connectors/update-me/config')).body as Record<string, string>).topics).toBe('orders');
  });
});

describe('names, plugins and types', () => {
  it('"name": 42 says the name must be a string', async () => {
    const r = await create(42, sink({}));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'Connector name must be a JSON string, e.g. "name": "inventory-source", but was 42 (a number)',
    );
  });

  it('validating an unknown plugin names it as Kafka Connect does', async () => {
    const r = await api('PUT', '/connector-plugins/com.example.NoSuchConnector/config/validate', {
      'connector.class': 'com.example.NoSuchConnector',
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(
      /^Failed to find any class that implements Connector and which name matches com\.example\.NoSuchConnector, available connectors are: .*FileStreamSinkConnector/,
    );
  });

  it('type errors say what was given and what is expected', async () => {
    const r = await create('bad-types', sink({ 'tasks.max': 'two' }));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(
      'Invalid value two for configuration tasks.max: Not a number of type INT (expected a whole number from -2147483648 to 2147483647)',
    );
  });
});
