/**
 * The Jolokia requests collectors send, replayed as they send them, against a running worker:
 * - Telegraf's jolokia2_agent (influxdata/telegraf plugins/common/jolokia2/client.go): POST <url>/read,
 *   `Content-type: application/json`, basic auth, a JSON array of {type, mbean, attribute, path};
 *   Go's json.Marshal of {type, mbean, attribute (a string for one, an array for several, left out
 *   for none: every attribute), path, target}, fields in that order;
 * - Metricbeat's jolokia module (elastic/beats metricbeat/module/jolokia/jmx): POST
 *   /jolokia/?ignoreErrors=true&canonicalNaming=false with a JSON array and no Content-Type header;
 *   since beats 7.x (config.go JolokiaHTTPPostFetcher) each block is {type, mbean (key properties
 *   sorted), attribute (an array, null without attributes), config: {canonicalNaming: true,
 *   ignoreErrors: true}}, and events are matched to the mapping by canonical names.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testPlugins } from '../../helpers/test-plugins.ts';
import { waitFor } from '../../helpers/wait.ts';

let worker: RunningWorker;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-jolokia-'));
afterAll(async () => {
  await worker?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A raw POST, so that no Content-Type is added (as Go's http.NewRequest with a body). */
function rawPost(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('Jolokia as collectors use it', () => {
  it('answers Telegraf and Metricbeat requests with values, under authentication', async () => {
    const creds = path.join(dir, 'users');
    fs.writeFileSync(creds, 'monitor: secret, read\nops: opsecret, admin\n');
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': path.join(dir, 'data'),
        'tributary.log.sync': 'os',
        'rest.auth.credentials.file': creds,
      },
      { plugins: testPlugins, logger: silentLogger },
    );
    const created = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('ops', 'opsecret') },
      body: JSON.stringify({
        name: 'counter',
        config: { 'connector.class': 'test.CounterSourceConnector', topic: 'counts' },
      }),
    });
    expect(created.status).toBe(201);
    const auth = { authorization: basic('monitor', 'secret') };

    // Telegraf jolokia2_agent
    const telegraf = [
      { type: 'read', mbean: 'java.lang:type=Runtime', attribute: 'Uptime' },
      { type: 'read', mbean: 'java.lang:type=Memory', attribute: 'HeapMemoryUsage', path: 'used' },
      {
        type: 'read',
        mbean: 'kafka.connect:type=source-task-metrics,connector=*,task=*',
        attribute: ['source-record-poll-total', 'source-record-write-total'],
      },
      { type: 'read', mbean: 'kafka.connect:type=connect-worker-metrics', attribute: 'connector-count' },
    ];
    const unauthenticated = await rawPost(`${worker.url}/jolokia/read`, JSON.stringify(telegraf), {
      'content-type': 'application/json',
    });
    expect(unauthenticated.status).toBe(401);
    await waitFor(
      async () => {
        const r = await rawPost(`${worker.url}/jolokia/read`, JSON.stringify(telegraf), {
          'content-type': 'application/json',
          ...auth,
        });
        const tasks = (r.json as Array<{ value: Record<string, Record<string, number>> }>)[2].value;
        return Object.values(tasks ?? {}).some((t) => t['source-record-poll-total'] > 0);
      },
      { what: 'the source task polled' },
    );
    const t = await rawPost(`${worker.url}/jolokia/read`, JSON.stringify(telegraf), {
      'content-type': 'application/json',
      ...auth,
    });
    expect(t.status).toBe(200);
    const [uptime, heap, tasks, count] = t.json as Array<{
      status: number;
      value: unknown;
      request: Record<string, unknown>;
    }>;
    expect(uptime).toMatchObject({ status: 200, request: { mbean: 'java.lang:type=Runtime', attribute: 'Uptime' } });
    expect(uptime.value as number).toBeGreaterThan(0);
    expect(heap).toMatchObject({ status: 200, request: { path: 'used' } });
    expect(heap.value as number).toBeGreaterThan(0);
    // Canonical names (keys sorted) by default.
    expect(Object.keys(tasks.value as object)).toEqual([
      'kafka.connect:connector=counter,task=0,type=source-task-metrics',
    ]);
    expect(count).toMatchObject({ status: 200, value: 1 });

    // Metricbeat jolokia/jmx: no Content-Type, options in the query.
    const metricbeat = [
      {
        type: 'read',
        mbean: 'kafka.connect:type=connector-task-metrics,connector=counter,task=0',
        attribute: ['status', 'batch-size-avg', 'no-such-attribute'],
      },
      { type: 'read', mbean: 'kafka.connect:type=*-task-metrics,*', attribute: ['source-record-poll-total'] },
    ];
    const m = await rawPost(
      `${worker.url}/jolokia/?ignoreErrors=true&canonicalNaming=false`,
      JSON.stringify(metricbeat),
      auth,
    );
    expect(m.status).toBe(200);
    const [taskRead, pattern] = m.json as Array<{ status: number; value: Record<string, unknown> }>;
    expect(taskRead.status).toBe(200);
    expect(taskRead.value.status).toBe('running');
    expect(Object.keys(taskRead.value).sort()).toEqual(['batch-size-avg', 'status']);
    // Non-canonical names as registered; beans without the attribute (connector-task-metrics) left out.
    expect(Object.keys(pattern.value)).toEqual(['kafka.connect:type=source-task-metrics,connector=counter,task=0']);

    // Telegraf without attributes (every attribute of the bean), exactly as json.Marshal writes it.
    const all = await rawPost(
      `${worker.url}/jolokia/read`,
      '[{"type":"read","mbean":"kafka.connect:type=connect-worker-metrics"}]',
      { 'content-type': 'application/json', ...auth },
    );
    const [workerBean] = all.json as Array<{
      status: number;
      value: Record<string, unknown>;
      request: Record<string, unknown>;
    }>;
    expect(workerBean).toMatchObject({
      status: 200,
      request: { type: 'read', mbean: 'kafka.connect:type=connect-worker-metrics' },
    });
    expect(workerBean.value['connector-count']).toBe(1);
    expect(workerBean.value['task-count']).toBe(1);

    // Metricbeat's current POST body: per-block config asking for canonical names, canonical mbeans, null attribute lists.
    const beatsConfig = '"config":{"canonicalNaming":true,"ignoreErrors":true}';
    const beats =
      `[{"type":"read","mbean":"kafka.connect:connector=counter,task=0,type=source-task-metrics","attribute":["source-record-poll-total","source-record-write-total"],${beatsConfig}},` +
      `{"type":"read","mbean":"kafka.connect:connector=*,task=*,type=connector-task-metrics","attribute":["batch-size-max"],${beatsConfig}},` +
      `{"type":"read","mbean":"java.lang:type=Runtime","attribute":["Uptime"],${beatsConfig}},` +
      `{"type":"read","mbean":"java.lang:type=Memory","attribute":null,${beatsConfig}}]`;
    const b = await rawPost(`${worker.url}/jolokia/?ignoreErrors=true&canonicalNaming=false`, beats, auth);
    expect(b.status).toBe(200);
    const [direct, wildcard, runtime, memory] = b.json as Array<{
      status: number;
      value: Record<string, unknown>;
      request: { mbean: string };
    }>;
    expect(direct).toMatchObject({
      status: 200,
      request: { mbean: 'kafka.connect:connector=counter,task=0,type=source-task-metrics' },
    });
    expect(direct.value['source-record-poll-total'] as number).toBeGreaterThan(0);
    expect(typeof direct.value['source-record-write-total']).toBe('number');
    expect(Object.keys(wildcard.value)).toEqual(['kafka.connect:connector=counter,task=0,type=connector-task-metrics']);
    // An attribute list reads as a map of attribute to value, even for one attribute.
    expect(runtime.value.Uptime as number).toBeGreaterThan(0);
    expect(memory.status).toBe(200);
    expect(Object.keys(memory.value)).toContain('HeapMemoryUsage');

    // GET with an inner path, and list with a path.
    const inner = (await (
      await fetch(`${worker.url}/jolokia/read/java.lang:type=Memory/HeapMemoryUsage/max`, { headers: auth })
    ).json()) as { value: number };
    expect(inner.value).toBeGreaterThan(0);
    const listed = (await (
      await fetch(`${worker.url}/jolokia/list/kafka.connect/type=connector-metrics,connector=counter`, {
        headers: auth,
      })
    ).json()) as { value: { attr: Record<string, unknown> } };
    expect(Object.keys(listed.value.attr).sort()).toEqual([
      'connector-class',
      'connector-type',
      'connector-version',
      'status',
    ]);
    const domain = (await (await fetch(`${worker.url}/jolokia/list/kafka.connect`, { headers: auth })).json()) as {
      value: Record<string, unknown>;
    };
    expect(Object.keys(domain.value)).toContain('connector=counter,task=0,type=source-task-metrics');

    // A pattern read where no bean has the attribute is an error without ignoreErrors.
    const none = await rawPost(
      `${worker.url}/jolokia`,
      JSON.stringify({ type: 'read', mbean: 'kafka.connect:type=*,*', attribute: 'nope' }),
      { 'content-type': 'application/json', ...auth },
    );
    expect(none.json).toMatchObject({ status: 404 });
    // Reads whatever the method and content type: a read-only user may POST them (here as text/plain, as jolokia.js sends).
    const search = await rawPost(`${worker.url}/jolokia`, JSON.stringify({ type: 'search', mbean: 'debezium.*:*' }), {
      'content-type': 'text/plain',
      ...auth,
    });
    expect(search.json).toMatchObject({ status: 200, value: [] });
  });
});
