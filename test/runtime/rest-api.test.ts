/**
 * The REST API against a real standalone worker (embedded log, port 0), endpoint by endpoint,
 * with Kafka Connect's paths, bodies, status codes and messages.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../runtime/worker/worker.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { testPlugins } from '../helpers/test-plugins.ts';
import { waitFor } from '../helpers/wait.ts';

let worker: RunningWorker;
let dir: string;

async function api(method: string, p: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers; text: string }> {
  const res = await fetch(worker.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers, text };
}

const sourceConfig = (file: string, topic = 'lines') => ({ 'connector.class': 'FileStreamSource', file, topic, 'tasks.max': '1' });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-rest-'));
  fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\nc\n');
  worker = await startStandaloneWorker(
    { listeners: 'http://127.0.0.1:0', 'tributary.data.dir': path.join(dir, 'data'), 'offset.flush.interval.ms': '100', 'tributary.log.sync': 'os' },
    { plugins: testPlugins, logger: silentLogger },
  );
});

afterAll(async () => {
  await worker?.stop();
});

describe('root and plugins', () => {
  it('GET / returns version, commit and cluster id', async () => {
    const r = await api('GET', '/');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['commit', 'kafka_cluster_id', 'version']);
    expect(r.body.version).toBe('0.1.0');
  });

  it('GET /health is healthy once started', async () => {
    expect((await api('GET', '/health')).body.status).toBe('healthy');
  });

  it('GET /connector-plugins lists connectors only by default, all types with connectorsOnly=false', async () => {
    const connectors = (await api('GET', '/connector-plugins')).body as Array<{ class: string; type: string; version: string }>;
    expect(connectors).toContainEqual({ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '1.0.0' });
    expect(connectors).toContainEqual({ class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '1.0.0' });
    expect(connectors.every((p) => p.type === 'source' || p.type === 'sink')).toBe(true);
    const all = (await api('GET', '/connector-plugins?connectorsOnly=false')).body as Array<{ class: string; type: string }>;
    expect(all).toContainEqual(expect.objectContaining({ class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter' }));
    expect(all).toContainEqual(expect.objectContaining({ class: 'org.apache.kafka.connect.storage.SimpleHeaderConverter', type: 'header_converter' }));
  });

  it('GET /connector-plugins/{plugin}/config by full and simple name; 404 for unknown', async () => {
    for (const name of ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSource', 'FileStreamSourceConnector']) {
      const r = await api('GET', `/connector-plugins/${name}/config`);
      expect(r.status).toBe(200);
      const file = r.body.find((k: { name: string }) => k.name === 'file');
      expect(file).toEqual({ name: 'file', type: 'STRING', required: false, default_value: null, importance: 'HIGH', documentation: 'Source filename. If not specified, the standard input will be used', group: null, order: -1, width: 'NONE', display_name: 'file', dependents: [] });
    }
    const missing = await api('GET', '/connector-plugins/NoSuchThing/config');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error_code: 404, message: 'Unknown plugin NoSuchThing.' });
  });

  it('PUT /connector-plugins/{plugin}/config/validate reports errors in the body', async () => {
    const r = await api('PUT', '/connector-plugins/FileStreamSink/config/validate', { 'connector.class': 'FileStreamSink', name: 'v', 'tasks.max': 'zero' });
    expect(r.status).toBe(200);
    expect(r.body.name).toBe('org.apache.kafka.connect.file.FileStreamSinkConnector');
    expect(r.body.error_count).toBe(2);
    const byName = Object.fromEntries(r.body.configs.map((c: any) => [c.value.name, c.value]));
    expect(byName['tasks.max'].errors[0]).toMatch(/Invalid value zero for configuration tasks.max/);
    expect(byName.topics.errors).toEqual(['Must configure one of topics or topics.regex']);
    expect(r.body.groups).toEqual(expect.arrayContaining(['Common', 'Transforms', 'Error Handling']));
    const override = await api('PUT', '/connector-plugins/FileStreamSink/config/validate', { 'connector.class': 'FileStreamSink', name: 'v', topics: 't', 'consumer.override.max.poll.records': '10' });
    expect(override.body.configs.find((c: any) => c.value.name === 'consumer.override.max.poll.records').value.errors[0]).toMatch(/not supported by the Kafka transport yet; supported consumer overrides: consumer.override.session.timeout.ms/);
    const ok = await api('PUT', '/connector-plugins/FileStreamSink/config/validate', { 'connector.class': 'FileStreamSink', name: 'v', topics: 't' });
    expect(ok.body.error_count).toBe(0);
  });

  it('validate answers 400 when connector.class names another plugin', async () => {
    const r = await api('PUT', '/connector-plugins/FileStreamSink/config/validate', { 'connector.class': 'FileStreamSource', name: 'v' });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('Included connector type FileStreamSource does not match request type FileStreamSink');
  });
});

describe('connector lifecycle', () => {
  it('POST /connectors creates (201 + Location), 409 on duplicates, 400 on invalid config and name mismatch', async () => {
    const r = await api('POST', '/connectors', { name: 'src', config: sourceConfig(path.join(dir, 'in.txt')) });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe('/connectors/src');
    expect(r.body).toEqual({ name: 'src', config: { ...sourceConfig(path.join(dir, 'in.txt')), name: 'src' }, tasks: [{ connector: 'src', task: 0 }], type: 'source' });

    const dup = await api('POST', '/connectors', { name: 'src', config: sourceConfig(path.join(dir, 'in.txt')) });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ error_code: 409, message: 'Connector src already exists' });

    const bad = await api('POST', '/connectors', { name: 'bad', config: { 'connector.class': 'FileStreamSource', 'tasks.max': '0' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^Connector configuration is invalid and contains the following 2 error\(s\):\n/);
    expect(bad.body.message).toMatch(/topic/);
    expect(bad.body.message).toMatch(/Value must be at least 1/);

    const mismatch = await api('POST', '/connectors', { name: 'x', config: { ...sourceConfig('/tmp/x'), name: 'y' } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toBe("Connector name configuration (y) doesn't match connector name in the URL (x)");

    const unknownClass = await api('POST', '/connectors', { name: 'u', config: { 'connector.class': 'com.example.Nope' } });
    expect(unknownClass.status).toBe(400);
    expect(unknownClass.body.message).toMatch(/Failed to find any class that implements Connector and which name matches com.example.Nope/);
  });

  it('runs the connector and reports status, tasks and task status', async () => {
    const status = await waitFor(async () => {
      const s = (await api('GET', '/connectors/src/status')).body;
      return s.tasks[0]?.state === 'RUNNING' ? s : null;
    });
    expect(status).toEqual({ name: 'src', connector: { state: 'RUNNING', worker_id: worker.herder.workerId }, tasks: [{ id: 0, state: 'RUNNING', worker_id: worker.herder.workerId }], type: 'source' });
    expect(worker.herder.workerId).toMatch(/^127\.0\.0\.1:\d+$/);
    const tasks = await api('GET', '/connectors/src/tasks');
    expect(tasks.body).toEqual([{ id: { connector: 'src', task: 0 }, config: { topic: 'lines', 'batch.size': '2000', file: path.join(dir, 'in.txt') } }]);
    expect((await api('GET', '/connectors/src/tasks/0/status')).body).toEqual({ id: 0, state: 'RUNNING', worker_id: worker.herder.workerId });
    const missingTask = await api('GET', '/connectors/src/tasks/7/status');
    expect(missingTask.status).toBe(404);
    expect(missingTask.body.message).toBe('No status found for task src-7');
  });

  it('GET /connectors with expand=status and expand=info', async () => {
    expect((await api('GET', '/connectors')).body).toContain('src');
    const both = (await api('GET', '/connectors?expand=status&expand=info')).body;
    expect(Object.keys(both.src).sort()).toEqual(['info', 'status']);
    expect(both.src.info.name).toBe('src');
    expect(both.src.status.connector.state).toBe('RUNNING');
    const statusOnly = (await api('GET', '/connectors?expand=status')).body;
    expect(Object.keys(statusOnly.src)).toEqual(['status']);
  });

  it('GET/PUT/PATCH config; PUT answers 201 on create and 200 on update', async () => {
    expect((await api('GET', '/connectors/src/config')).body.topic).toBe('lines');
    const created = await api('PUT', '/connectors/sink/config', { 'connector.class': 'FileStreamSink', topics: 'lines', file: path.join(dir, 'out.txt') });
    expect(created.status).toBe(201);
    expect(created.body.type).toBe('sink');
    const updated = await api('PUT', '/connectors/sink/config', { 'connector.class': 'FileStreamSink', topics: 'lines', file: path.join(dir, 'out.txt'), 'tasks.max': '1' });
    expect(updated.status).toBe(200);
    const patched = await api('PATCH', '/connectors/sink/config', { 'tasks.max': null, 'errors.log.enable': 'true' });
    expect(patched.status).toBe(200);
    expect(patched.body.config['tasks.max']).toBeUndefined();
    expect(patched.body.config['errors.log.enable']).toBe('true');
    expect((await api('PATCH', '/connectors/nope/config', { a: 'b' })).status).toBe(404);
    await waitFor(() => fs.existsSync(path.join(dir, 'out.txt')) && fs.readFileSync(path.join(dir, 'out.txt'), 'utf8') === 'a\nb\nc\n', { what: 'sink output' });
  });

  it('topics: GET lists active topics, PUT reset clears them (202)', async () => {
    await waitFor(async () => (await api('GET', '/connectors/src/topics')).body.src.topics.includes('lines'));
    expect((await api('GET', '/connectors/src/topics')).body).toEqual({ src: { topics: ['lines'] } });
    expect((await api('PUT', '/connectors/src/topics/reset')).status).toBe(202);
    expect((await api('GET', '/connectors/src/topics')).body).toEqual({ src: { topics: [] } });
  });

  it('pause (202) and resume (202)', async () => {
    expect((await api('PUT', '/connectors/src/pause')).status).toBe(202);
    await waitFor(async () => {
      const s = (await api('GET', '/connectors/src/status')).body;
      return s.connector.state === 'PAUSED' && s.tasks[0].state === 'PAUSED';
    });
    expect((await api('PUT', '/connectors/src/resume')).status).toBe(202);
    await waitFor(async () => (await api('GET', '/connectors/src/status')).body.tasks[0]?.state === 'RUNNING');
  });

  it('offsets: GET; PATCH and DELETE need STOPPED (400), work after PUT stop (204)', async () => {
    await waitFor(async () => (await api('GET', '/connectors/src/offsets')).body.offsets.length === 1);
    expect((await api('GET', '/connectors/src/offsets')).body).toEqual({ offsets: [{ partition: { filename: path.join(dir, 'in.txt') }, offset: { position: 6 } }] });
    const notStopped = await api('PATCH', '/connectors/src/offsets', { offsets: [{ partition: { filename: path.join(dir, 'in.txt') }, offset: { position: 2 } }] });
    expect(notStopped.status).toBe(400);
    expect(notStopped.body.message).toMatch(/^Connectors must be in the STOPPED state before their offsets can be modified/);
    expect((await api('DELETE', '/connectors/src/offsets')).status).toBe(400);

    expect((await api('PUT', '/connectors/src/stop')).status).toBe(204);
    const stopped = (await api('GET', '/connectors/src/status')).body;
    expect(stopped.connector.state).toBe('STOPPED');
    expect(stopped.tasks).toEqual([]);
    expect((await api('GET', '/connectors/src')).body.tasks).toEqual([]);

    expect((await api('PATCH', '/connectors/src/offsets', { offsets: [] })).body.message).toBe('Partitions / offsets need to be provided for an alter offsets request');
    const altered = await api('PATCH', '/connectors/src/offsets', { offsets: [{ partition: { filename: path.join(dir, 'in.txt') }, offset: { position: 2 } }] });
    expect(altered.status).toBe(200);
    expect(altered.body).toEqual({ message: 'The offsets for this connector have been altered successfully' });
    expect((await api('GET', '/connectors/src/offsets')).body.offsets[0].offset).toEqual({ position: 2 });

    const reset = await api('DELETE', '/connectors/src/offsets');
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ message: 'The offsets for this connector have been reset successfully' });
    expect((await api('GET', '/connectors/src/offsets')).body).toEqual({ offsets: [] });
  });

  it('sink offsets use kafka_topic/kafka_partition/kafka_offset and can be altered when stopped', async () => {
    await waitFor(async () => (await api('GET', '/connectors/sink/offsets')).body.offsets.length === 1);
    expect((await api('GET', '/connectors/sink/offsets')).body).toEqual({ offsets: [{ partition: { kafka_topic: 'lines', kafka_partition: 0 }, offset: { kafka_offset: 3 } }] });
    await api('PUT', '/connectors/sink/stop');
    const bad = await api('PATCH', '/connectors/sink/offsets', { offsets: [{ partition: { kafka_partition: 0 }, offset: { kafka_offset: 1 } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/kafka_topic/);
    const ok = await api('PATCH', '/connectors/sink/offsets', { offsets: [{ partition: { kafka_topic: 'lines', kafka_partition: 0 }, offset: { kafka_offset: 1 } }] });
    expect(ok.status).toBe(200);
    expect((await api('GET', '/connectors/sink/offsets')).body.offsets[0].offset).toEqual({ kafka_offset: 1 });
    // Resuming the stopped sink redelivers from offset 1: b and c arrive again.
    expect((await api('PUT', '/connectors/sink/resume')).status).toBe(202);
    await waitFor(() => fs.readFileSync(path.join(dir, 'out.txt'), 'utf8') === 'a\nb\nc\nb\nc\n', { what: 'redelivery after offset change' });
  });

  it('restart: plain 204; includeTasks/onlyFailed 202 with RESTARTING; task restart 204', async () => {
    const marker = path.join(dir, 'fail-marker');
    fs.writeFileSync(marker, '');
    await api('POST', '/connectors', { name: 'flaky', config: { 'connector.class': 'test.CounterSourceConnector', 'fail.once.file': marker, topic: 'flaky', 'tasks.max': '2' } });
    const failed = await waitFor(async () => {
      const s = (await api('GET', '/connectors/flaky/status')).body;
      return s.tasks.length === 2 && s.tasks.every((t: any) => t.state === 'FAILED') ? s : null;
    });
    expect(failed.tasks[0].trace).toMatch(/task failed while the marker file exists/);
    expect(failed.connector.state).toBe('RUNNING');

    expect((await api('POST', '/connectors/flaky/restart')).status).toBe(204);
    fs.unlinkSync(marker);
    const r = await api('POST', '/connectors/flaky/restart?includeTasks=true&onlyFailed=true');
    expect(r.status).toBe(202);
    expect(r.body.connector.state).toBe('RUNNING'); // not failed, so not restarted
    expect(r.body.tasks.map((t: any) => t.state)).toEqual(['RESTARTING', 'RESTARTING']);
    await waitFor(async () => (await api('GET', '/connectors/flaky/status')).body.tasks.every((t: any) => t.state === 'RUNNING'));

    expect((await api('POST', '/connectors/flaky/tasks/1/restart')).status).toBe(204);
    const unknownTask = await api('POST', '/connectors/flaky/tasks/9/restart');
    expect(unknownTask.status).toBe(404);
    expect(unknownTask.body.message).toBe('Unknown task: flaky-9');
    const all = await api('POST', '/connectors/flaky/restart?includeTasks=true');
    expect(all.status).toBe(202);
    expect(all.body.connector.state).toBe('RESTARTING');
  });

  it('never echoes password-type values, and PUT of an echoed config keeps the secret', async () => {
    const config = { 'connector.class': 'test.CounterSourceConnector', topic: 'secret-topic', 'db.password': 'hunter2', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.basic.auth.user.info': 'me:pw' };
    const created = await api('POST', '/connectors', { name: 'secretive', config });
    expect(created.status).toBe(201);
    const bodies = [
      created.text,
      (await api('GET', '/connectors/secretive')).text,
      (await api('GET', '/connectors/secretive/config')).text,
      (await api('GET', '/connectors/secretive/tasks')).text,
      (await api('GET', '/connectors?expand=info')).text,
      (await api('PUT', '/connector-plugins/test.CounterSourceConnector/config/validate', config)).text,
    ];
    for (const b of bodies) {
      expect(b).not.toContain('hunter2');
      expect(b).not.toContain('me:pw');
    }
    expect((await api('GET', '/connectors/secretive/config')).body['db.password']).toBe('[hidden]');
    const echoed = (await api('GET', '/connectors/secretive/config')).body;
    expect((await api('PUT', '/connectors/secretive/config', { ...echoed, topic: 'secret-topic-2' })).status).toBe(200);
    // The stored secret is still the real one (the task would otherwise see "[hidden]").
    expect(worker.embedded.get('connect-configs', 'connector-secretive')).toContain('hunter2');
  });

  it('DELETE /connectors/{name} answers 204, then 404', async () => {
    expect((await api('DELETE', '/connectors/secretive')).status).toBe(204);
    const gone = await api('GET', '/connectors/secretive');
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error_code: 404, message: 'Connector secretive not found' });
    expect((await api('DELETE', '/connectors/secretive')).status).toBe(404);
    expect((await api('GET', '/connectors/secretive/status')).body.message).toBe('No status found for connector secretive');
  });

  it('answers unknown paths and malformed JSON with Connect error bodies', async () => {
    const r = await api('GET', '/nope');
    expect(r.status).toBe(404);
    expect(r.body.error_code).toBe(404);
    const res = await fetch(worker.url + '/connectors', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_code: number }).error_code).toBe(400);
  });

  it('serves Prometheus metrics with Kafka Connect names and an OpenAPI document', async () => {
    const res = await fetch(worker.url + '/metrics');
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain; version=0.0.4/);
    expect(text).toMatch(/kafka_connect_worker_connector_count \d+/);
    expect(text).toMatch(/kafka_connect_source_task_source_record_poll_total\{connector="flaky",task="0"\} \d+/);
    expect(text).toMatch(/kafka_connect_sink_task_sink_record_read_total\{connector="sink",task="0"\} \d+/);
    expect(text).toMatch(/kafka_connect_task_error_total_record_errors\{connector="flaky",task="0"\} 0/);
    expect(text).toMatch(/kafka_connect_connector_status\{connector="sink",status="running"\} 1/);
    // The flaky connector's two tasks failed on their first start; everything else started.
    expect(text).toMatch(/kafka_connect_worker_task_startup_failure_total 2\n/);
    expect(Number(/kafka_connect_worker_task_startup_success_total (\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(/kafka_connect_worker_connector_startup_failure_total 0\n/);
    const read = (await api('GET', '/jolokia/read/kafka.connect:type=connector-metrics,connector=sink/status')).body;
    expect(read).toMatchObject({ value: 'running', status: 200, request: { type: 'read', mbean: 'kafka.connect:type=connector-metrics,connector=sink', attribute: 'status' } });
    const pattern = (await api('GET', '/jolokia/read/kafka.connect:type=source-task-metrics,*/source-record-poll-total')).body;
    expect(Object.keys(pattern.value)).toEqual(expect.arrayContaining(['kafka.connect:type=source-task-metrics,connector=flaky,task=0']));
    expect(typeof pattern.value['kafka.connect:type=source-task-metrics,connector=flaky,task=0']['source-record-poll-total']).toBe('number');
    const search = (await api('GET', '/jolokia/search/kafka.connect:type=connect-worker-metrics,*')).body;
    expect(search.value).toEqual(expect.arrayContaining(['kafka.connect:type=connect-worker-metrics', 'kafka.connect:type=connect-worker-metrics,connector=sink']));
    const missing = (await api('GET', '/jolokia/read/kafka.connect:type=connector-metrics,connector=nope')).body;
    expect(missing).toMatchObject({ status: 404, error_type: 'javax.management.InstanceNotFoundException' });
    const bulk = (await api('POST', '/jolokia', [{ type: 'read', mbean: 'kafka.connect:type=connect-worker-metrics', attribute: 'connector-count' }])).body;
    expect(bulk[0].value).toBeGreaterThanOrEqual(3);
    const openapi = (await api('GET', '/openapi.json')).body;
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/connectors', '/connectors/{name}/offsets', '/connector-plugins/{plugin}/config/validate']));
  });
});

describe('admin/loggers', () => {
  it('lists, reads and sets levels for a connector namespace and its tasks', async () => {
    const all = (await api('GET', '/admin/loggers')).body;
    expect(all.root).toEqual({ level: expect.any(String), last_modified: null });
    const set = await api('PUT', '/admin/loggers/tributary.connector.flaky', { level: 'DEBUG' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual(expect.arrayContaining(['tributary.connector.flaky', 'tributary.connector.flaky.task.0']));
    expect((await api('GET', '/admin/loggers/tributary.connector.flaky.task.0')).body).toEqual({ level: 'DEBUG', last_modified: null });
    expect((await api('GET', '/admin/loggers')).body['tributary.connector.flaky']).toEqual({ level: 'DEBUG', last_modified: expect.any(Number) });
    expect((await api('PUT', '/admin/loggers/tributary.connector.flaky?scope=cluster', { level: 'INFO' })).status).toBe(204);
    expect((await api('PUT', '/admin/loggers/root', {})).body).toEqual({ error_code: 400, message: "Desired 'level' parameter was not specified in request." });
    expect((await api('PUT', '/admin/loggers/root', { level: 'LOUD' })).body).toEqual({ error_code: 404, message: "invalid log level 'LOUD'." });
    expect((await api('GET', '/admin/loggers/no.such.logger')).body).toEqual({ error_code: 404, message: 'Logger no.such.logger not found.' });
  });
});

describe('persistence', () => {
  it('a restarted worker resumes its connectors in their target states', async () => {
    await api('PUT', '/connectors/flaky/pause');
    const names = (await api('GET', '/connectors')).body.sort();
    await worker.stop();
    worker = await startStandaloneWorker(
      { listeners: 'http://127.0.0.1:0', 'tributary.data.dir': path.join(dir, 'data'), 'offset.flush.interval.ms': '100', 'tributary.log.sync': 'os' },
      { plugins: testPlugins, logger: silentLogger },
    );
    expect((await api('GET', '/connectors')).body.sort()).toEqual(names);
    expect((await api('GET', '/connectors/src/status')).body.connector.state).toBe('STOPPED');
    await waitFor(async () => (await api('GET', '/connectors/flaky/status')).body.tasks.every((t: any) => t.state === 'PAUSED'));
    expect((await api('GET', '/connectors/flaky/status')).body.connector.state).toBe('PAUSED');
  });
});
