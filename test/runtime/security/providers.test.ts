/**
 * Issue 13 item 4: config providers as Kafka Connect's. A worker started as the README says
 * resolves no `${env:…}`, `${file:…}` or `${dir:…}` placeholder at all; a worker that lists
 * providers resolves only what their allow-lists permit; and no resolved value ever shows in a
 * response body, an error message, a status trace or a log line. Secrets are planted in the
 * environment, in a properties file and in a directory; every body and log line of the file is
 * grepped for them at the end.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { testPlugins } from '../../helpers/test-plugins.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createCapture } from './capture.ts';

const capture = createCapture();
const SECRETS = {
  env: 'PLANTED-ENV-SECRET-4b1d9e',
  allowedEnv: 'PLANTED-ALLOWED-ENV-77c2a0',
  topicEnv: 'planted-topic-secret-91f3',
  file: 'PLANTED-FILE-SECRET-c0ffee',
  allowedFile: 'PLANTED-ALLOWED-FILE-beef42',
  dir: 'PLANTED-DIR-SECRET-d1r5ec',
  pathPart: 'PLANTED-PATH-SECRET-0a7h',
  derived: 'PLANTED-DERIVED-SECRET-99e1',
};
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-sec-providers-')));
const allowed = path.join(root, 'allowed');
const outside = path.join(root, 'outside');
let plain: RunningWorker;
let withProviders: RunningWorker;

const json = (method: string, body: unknown) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const call = (w: RunningWorker, method: string, p: string, body?: unknown) =>
  capture.fetch(`${w.url}${p}`, body === undefined ? { method } : json(method, body));
const source = (extra: Record<string, string>) => ({
  'connector.class': 'FileStreamSource',
  file: path.join(allowed, 'in.txt'),
  topic: 'lines',
  ...extra,
});

beforeAll(async () => {
  fs.mkdirSync(allowed);
  fs.mkdirSync(outside);
  fs.mkdirSync(path.join(allowed, `out-${SECRETS.pathPart}`));
  fs.writeFileSync(path.join(allowed, 'in.txt'), 'a\nb\n');
  process.env.TRIB_PLANTED_SECRET = SECRETS.env;
  process.env.TRIB_ALLOWED_BATCH = SECRETS.allowedEnv;
  process.env.TRIB_ALLOWED_TOPIC = SECRETS.topicEnv;
  fs.writeFileSync(path.join(outside, 'secrets.properties'), `pw=${SECRETS.file}\n`);
  fs.writeFileSync(
    path.join(allowed, 'app.properties'),
    `batch=${SECRETS.allowedFile}\nsinkfile=${path.join(allowed, `out-${SECRETS.pathPart}`)}\nsrcfile=${path.join(allowed, `in-${SECRETS.pathPart}.txt`)}\nescape=${allowed}/../${SECRETS.derived}/x.txt\n`,
  );
  fs.writeFileSync(path.join(allowed, `in-${SECRETS.pathPart}.txt`), 'x\ny\n');
  fs.mkdirSync(path.join(outside, 'd'));
  fs.writeFileSync(path.join(outside, 'd', 'token'), SECRETS.dir);
  const base = {
    listeners: 'http://127.0.0.1:0',
    'tributary.log.sync': 'os',
    'offset.flush.interval.ms': '100',
    'file.allowed.paths': allowed,
  };
  // As the README starts a worker: no config.providers.
  plain = await startStandaloneWorker(
    { ...base, 'tributary.data.dir': path.join(root, 'plain') },
    { plugins: testPlugins, logger: capture.logger },
  );
  withProviders = await startStandaloneWorker(
    {
      ...base,
      'tributary.data.dir': path.join(root, 'providers'),
      'config.providers': 'env,file,dir',
      'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      'config.providers.env.param.allowlist.pattern': 'TRIB_ALLOWED_.*',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
      'config.providers.file.param.allowed.paths': allowed,
      'config.providers.dir.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
      'config.providers.dir.param.allowed.paths': allowed,
    },
    { plugins: testPlugins, logger: capture.logger },
  );
});

afterAll(async () => {
  await plain?.stop();
  await withProviders?.stop();
  delete process.env.TRIB_PLANTED_SECRET;
  delete process.env.TRIB_ALLOWED_BATCH;
  delete process.env.TRIB_ALLOWED_TOPIC;
});

describe('a worker without config.providers resolves no placeholder', () => {
  const placeholders = {
    env: '${env:TRIB_PLANTED_SECRET}',
    file: `\${file:${outside}/secrets.properties:pw}`,
    dir: `\${dir:${outside}/d:token}`,
  };

  for (const [kind, placeholder] of Object.entries(placeholders)) {
    it(`${kind}: POST, PUT and validate answer with the placeholder, never the value`, async () => {
      const created = await call(plain, 'POST', '/connectors', {
        name: `p-${kind}`,
        config: source({ 'batch.size': placeholder }),
      });
      expect(created.status).toBe(400);
      expect(created.json.message).toContain(`Invalid value ${placeholder} for configuration batch.size`);
      const put = await call(plain, 'PUT', `/connectors/p-${kind}/config`, source({ 'batch.size': placeholder }));
      expect(put.status).toBe(400);
      const validated = await call(
        plain,
        'PUT',
        '/connector-plugins/FileStreamSource/config/validate',
        source({ 'batch.size': placeholder }),
      );
      expect(validated.status).toBe(200);
      const entry = validated.json.configs.find((c: any) => c.value.name === 'batch.size');
      expect(entry.value.value).toBe(placeholder);
      expect(entry.value.errors.join(' ')).toContain(placeholder);
    });
  }

  it('a topic made of a placeholder is not resolved: refused as the literal (illegal) topic name', async () => {
    const res = await call(plain, 'POST', '/connectors', {
      name: 'topic-env',
      config: source({ topic: 'x-${env:TRIB_PLANTED_SECRET}' }),
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(
      'Invalid value for configuration topic: Topic name "x-${env:TRIB_PLANTED_SECRET}" is illegal',
    );
    expect((await call(plain, 'GET', '/connectors/topic-env/topics')).status).toBe(404);
  });
});

describe('a worker with providers resolves only what their allow-lists permit, and shows none of it', () => {
  it('env outside allowlist.pattern, files and directories outside allowed.paths stay unresolved', async () => {
    for (const placeholder of [
      '${env:TRIB_PLANTED_SECRET}',
      `\${file:${outside}/secrets.properties:pw}`,
      `\${file:${allowed}/../outside/secrets.properties:pw}`,
      `\${dir:${outside}/d:token}`,
    ]) {
      const res = await call(
        withProviders,
        'PUT',
        '/connector-plugins/FileStreamSource/config/validate',
        source({ 'batch.size': placeholder }),
      );
      const entry = res.json.configs.find((c: any) => c.value.name === 'batch.size');
      expect(entry.value.errors.join(' ')).toContain(`Invalid value ${placeholder} for configuration batch.size`);
    }
  });

  it('an allowed value that is invalid: the error names the key and the placeholder, not the value', async () => {
    for (const placeholder of ['${env:TRIB_ALLOWED_BATCH}', `\${file:${allowed}/app.properties:batch}`]) {
      const created = await call(withProviders, 'POST', '/connectors', {
        name: 'bad-batch',
        config: source({ 'batch.size': placeholder }),
      });
      expect(created.status).toBe(400);
      expect(created.json.message).toContain('batch.size');
      expect(created.json.message).toContain(placeholder);
      const validated = await call(
        withProviders,
        'PUT',
        '/connector-plugins/FileStreamSource/config/validate',
        source({ 'batch.size': placeholder }),
      );
      const entry = validated.json.configs.find((c: any) => c.value.name === 'batch.size');
      expect(entry.value.value).toBe(placeholder);
      expect(entry.value.errors[0]).toContain(placeholder);
    }
  });

  it('a message that would show something derived from the value (a normalised path) is withheld', async () => {
    const placeholder = `\${file:${allowed}/app.properties:escape}`;
    const res = await call(withProviders, 'POST', '/connectors', {
      name: 'escape',
      config: source({ file: placeholder }),
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(
      `Invalid value ${placeholder} for configuration file: the value its config provider resolved is refused`,
    );
  });

  it('a running connector: config, tasks, topics and offsets show placeholders; tasks resolve them', async () => {
    const config = source({
      file: `\${file:${allowed}/app.properties:srcfile}`,
      topic: 'x-${env:TRIB_ALLOWED_TOPIC}',
      'tasks.max': '1',
    });
    expect((await call(withProviders, 'POST', '/connectors', { name: 'resolved', config })).status).toBe(201);
    // The records go to the resolved topic, read from the resolved file; every response shows the placeholders.
    await waitFor(() => withProviders.herder.connectorOffsets('resolved').then((o) => o.offsets.length > 0));
    expect((await call(withProviders, 'GET', '/connectors/resolved/config')).json.file).toBe(config.file);
    const tasks = await call(withProviders, 'GET', '/connectors/resolved/tasks');
    expect(tasks.json[0].config.file).toBe(config.file);
    expect(tasks.json[0].config.topic).toBe(config.topic);
    const topics = await waitFor(
      async () => (await call(withProviders, 'GET', '/connectors/resolved/topics')).json.resolved.topics[0],
    );
    expect(topics).toBe('x-${env:TRIB_ALLOWED_TOPIC}');
    await call(withProviders, 'PUT', '/connectors/resolved/stop');
    const offsets = await waitFor(async () => {
      const r = await call(withProviders, 'GET', '/connectors/resolved/offsets');
      return r.json.offsets?.length ? r.json.offsets : null;
    });
    expect(JSON.stringify(offsets)).toContain('${file:');
    expect(withProviders.herder.connectorStatus('resolved').connector.state).toBe('STOPPED');
  });

  it('a task failing with a resolved value in its message: the status trace and the log show the placeholder', async () => {
    // The resolved sink file is a directory: the task fails opening it, its message names the path.
    const config = {
      'connector.class': 'FileStreamSink',
      topics: 'lines',
      file: `\${file:${allowed}/app.properties:sinkfile}`,
    };
    expect((await call(withProviders, 'POST', '/connectors', { name: 'failing', config })).status).toBe(201);
    const status = await waitFor(async () => {
      const r = await call(withProviders, 'GET', '/connectors/failing/status');
      return r.json.tasks?.[0]?.state === 'FAILED' ? r.json : null;
    });
    expect(status.tasks[0].trace).toContain('${file:');
    await call(withProviders, 'GET', '/connectors/failing/tasks/0/status');
    await call(withProviders, 'GET', '/connectors?expand=status&expand=info');
  });

  it('the worker config itself resolves through its own providers at start', async () => {
    const dir = path.join(root, 'self');
    fs.writeFileSync(path.join(allowed, 'worker.properties'), `data.dir=${dir}\n`);
    const w2 = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.log.sync': 'os',
        'config.providers': 'file',
        'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
        'config.providers.file.param.allowed.paths': allowed,
        'tributary.data.dir': `\${file:${allowed}/worker.properties:data.dir}`,
      },
      { plugins: testPlugins, logger: capture.logger },
    );
    expect(fs.existsSync(dir)).toBe(true);
    await w2.stop();
  });
});

describe('planted secrets', () => {
  it('appear in no response body and no log line of this file', () => {
    expect(capture.bodies.length).toBeGreaterThan(20);
    expect(capture.logLines.length).toBeGreaterThan(10);
    expect(capture.leaks(Object.values(SECRETS))).toEqual([]);
  });
});
