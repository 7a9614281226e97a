/**
 * Fuzzing of the REST API's request bodies (untrusted bytes from any client) through a real
 * standalone worker's fastify app with inject(): valid bodies of every endpoint that takes one,
 * mutated (bit flips, truncation, bytes replaced, random bytes), plus deeply nested and oversized
 * JSON. Every answer is a 2xx or a 4xx with Kafka Connect's {"error_code","message"} — never a 500,
 * a hang, or a worker that stops answering.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../runtime/logging.ts';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { FUZZ_TIMEOUT_MS, fuzzParams, mutatedBytes } from '../helpers/fuzz.ts';
import { testPlugins } from '../helpers/test-plugins.ts';

// rest.rate.limit.requests.per.second=0: npm run fuzz sends tens of thousands of requests from one address
let worker: RunningWorker;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-rest-fuzz-'));
  fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\n');
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'file.allowed.paths': dir,
      'tributary.log.sync': 'os',
      'rest.rate.limit.requests.per.second': '0',
    },
    { plugins: testPlugins, logger: silentLogger },
  );
  const created = await worker.rest.inject({
    method: 'POST',
    url: '/connectors',
    payload: {
      name: 'fz-src',
      config: { 'connector.class': 'FileStreamSource', file: path.join(dir, 'in.txt'), topic: 'fz', 'tasks.max': '1' },
      initial_state: 'STOPPED',
    },
  });
  expect(created.statusCode).toBe(201);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Method = 'POST' | 'PUT' | 'PATCH';

function endpoints(): Array<{ method: Method; url: string; body: string }> {
  const file = path.join(dir, 'in.txt');
  return [
    {
      method: 'POST',
      url: '/connectors',
      body: JSON.stringify({ name: 'fz-new', config: { 'connector.class': 'NoSuchConnector', 'tasks.max': '1' } }),
    },
    {
      method: 'PUT',
      url: '/connectors/fz-other/config',
      body: JSON.stringify({ 'connector.class': 'NoSuchConnector', 'tasks.max': '1', 'errors.tolerance': 'all' }),
    },
    { method: 'PATCH', url: '/connectors/fz-src/config', body: JSON.stringify({ 'tasks.max': '1', topic: 'fz' }) },
    {
      method: 'PUT',
      url: '/connector-plugins/FileStreamSource/config/validate',
      body: JSON.stringify({
        'connector.class': 'FileStreamSource',
        file,
        topic: 'fz',
        'tasks.max': '1',
        transforms: 'a',
        'transforms.a.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
        'transforms.a.static.field': 'x',
      }),
    },
    {
      method: 'PATCH',
      url: '/connectors/fz-src/offsets',
      body: JSON.stringify({ offsets: [{ partition: { filename: file }, offset: { position: 2 } }] }),
    },
    { method: 'PUT', url: '/admin/loggers/org.apache.kafka.connect', body: JSON.stringify({ level: 'INFO' }) },
    { method: 'POST', url: '/connectors/fz-src/restart?includeTasks=true&onlyFailed=false', body: '' },
  ];
}

async function send(method: Method, url: string, body: Buffer, contentType = 'application/json'): Promise<void> {
  const res = await worker.rest.inject({ method, url, payload: body, headers: { 'content-type': contentType } });
  if (res.statusCode >= 500)
    throw new Error(
      `${method} ${url} answered ${res.statusCode}: ${res.body} (body ${JSON.stringify(body.toString('latin1').slice(0, 300))})`,
    );
  if (res.statusCode >= 400) {
    const err = JSON.parse(res.body) as { error_code?: unknown; message?: unknown };
    if (err.error_code !== res.statusCode || typeof err.message !== 'string')
      throw new Error(`${method} ${url}: a ${res.statusCode} without Kafka Connect's error body: ${res.body}`);
  }
}

describe('REST bodies under fuzzing', () => {
  it(
    'mutated bodies of every endpoint that takes one: 2xx or 4xx with an error body, never 500',
    async () => {
      const eps = endpoints();
      await fc.assert(
        fc.asyncProperty(
          fc
            .nat(eps.length - 1)
            .chain((i) =>
              fc.tuple(
                fc.constant(i),
                mutatedBytes([Buffer.from(eps[i].body || '{}')]),
                fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
              ),
            ),
          async ([i, body, type]) => {
            const started = performance.now();
            await send(eps[i].method, eps[i].url, body, type);
            expect(performance.now() - started).toBeLessThan(10_000);
          },
        ),
        fuzzParams(250),
      );
      const health = await worker.rest.inject({ method: 'GET', url: '/' });
      expect(health.statusCode).toBe(200);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'deeply nested, oversized and odd JSON values: 4xx, never 500',
    async () => {
      const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
      const bodies = [
        deep(10_000),
        '['.repeat(50_000) + ']'.repeat(50_000),
        JSON.stringify({ name: 'x'.repeat(100_000), config: {} }),
        JSON.stringify({ name: 'n', config: { 'connector.class': { toString: 1 }, 'tasks.max': [1, 2] } }),
        '{"__proto__":{"polluted":1},"name":"p","config":{}}',
        '{"constructor":{"prototype":{"x":1}}}',
        'null',
        '"string"',
        '123',
        '[]',
        '\u0000',
        '{"name":"a","config":{"tasks.max":"99999999999999999999"}}',
      ];
      for (const ep of endpoints()) {
        for (const b of bodies) await send(ep.method, ep.url, Buffer.from(b));
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('REST body fuzz regressions', () => {
  it('a config value nested 10,000 deep is a 400 naming the depth (was: 500 "Maximum call stack size exceeded")', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const res = await worker.rest.inject({
      method: 'PUT',
      url: '/connectors/fz-other/config',
      payload: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error_code: 400,
      message:
        'Unrecognized or malformed JSON in request body: document nesting depth (1001) exceeds the maximum allowed (1000)',
    });
    const ok = await worker.rest.inject({
      method: 'PUT',
      url: '/connector-plugins/FileStreamSource/config/validate',
      payload: {
        'connector.class': 'FileStreamSource',
        topic: 'x',
        nested: JSON.parse('{"a":'.repeat(999) + '1' + '}'.repeat(999)),
      },
    });
    expect(ok.statusCode).toBe(200);
  });
});
