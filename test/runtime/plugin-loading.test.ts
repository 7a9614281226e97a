/**
 * Plugins listed without their code (lazy descriptors) in a real standalone worker: listing does
 * not load them, a connector using one loads it once, and a plugin whose module fails to load
 * gives an error naming the plugin and the cause wherever it is used.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import type { LazyPluginDescriptor } from '../../runtime/plugins/types.ts';
import { waitFor } from '../helpers/wait.ts';
import { call } from './rest-conformance.ts';

let worker: RunningWorker;
let dir: string;
let upperLoads = 0;

const CAUSE = "Cannot find package 'no-such-driver' imported from broken-source.js";

const extra: LazyPluginDescriptor[] = [
  {
    type: 'source',
    className: 'com.example.BrokenSourceConnector',
    version: '0.1.0',
    load: async () => {
      throw new Error(CAUSE);
    },
  },
  {
    type: 'transformation',
    className: 'com.example.Upper',
    version: '2.0.0',
    load: async () => {
      upperLoads++;
      const { ConfigDef } = await import('../../runtime/config/config-def.ts');
      return () => ({
        configure() {},
        config: () => new ConfigDef(),
        apply: (r) => r.newRecord({ value: String(r.value).toUpperCase() }),
      });
    },
  },
];

const api = (method: string, p: string, body?: unknown) => call(worker.url, method, p, body);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-lazy-'));
  fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\n');
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'file.allowed.paths': dir,
      'offset.flush.interval.ms': '100',
      'tributary.log.sync': 'os',
    },
    { plugins: extra, logger: silentLogger },
  );
});

afterAll(async () => {
  await worker?.stop();
});

describe('plugins loaded on first use', () => {
  it('lists the plugins without loading them', async () => {
    const all = (await api('GET', '/connector-plugins?connectorsOnly=false')).body as Array<{ class: string }>;
    expect(all).toContainEqual({ class: 'com.example.BrokenSourceConnector', type: 'source', version: '0.1.0' });
    expect(all).toContainEqual({ class: 'com.example.Upper', type: 'transformation', version: '2.0.0' });
    expect(upperLoads).toBe(0);
  });

  it('a connector whose chain names a plugin loads it once and runs it', { timeout: 120_000 }, async () => {
    const created = await api('POST', '/connectors', {
      name: 'upper',
      config: {
        'connector.class': 'FileStreamSource',
        file: path.join(dir, 'in.txt'),
        topic: 'upper-lines',
        transforms: 'up',
        'transforms.up.type': 'com.example.Upper',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      },
    });
    expect(created.status).toBe(201);
    const values = await waitFor(
      async () => {
        const page = await api('GET', '/tributary/topics/upper-lines/records?from=beginning&decode=false&limit=10');
        const records = (page.body?.records ?? []) as Array<{ value: string }>;
        return records.length === 2 ? records.map((r) => r.value) : null;
      },
      { timeoutMs: 60_000, what: 'the two transformed lines on upper-lines' },
    );
    expect(values).toEqual(['A', 'B']);
    expect(upperLoads).toBe(1);
  });

  it('a plugin whose module fails to load is named with the cause: config, validation, creation', async () => {
    const expected = `Failed to load plugin com.example.BrokenSourceConnector (source): ${CAUSE}`;
    const config = await api('GET', '/connector-plugins/BrokenSource/config');
    expect(config.status).toBe(500);
    expect(config.body.message).toBe(expected);
    const validate = await api('PUT', '/connector-plugins/BrokenSource/config/validate', {
      'connector.class': 'BrokenSource',
      name: 'broken',
    });
    expect(validate.body.message).toBe(expected);
    const create = await api('POST', '/connectors', { name: 'broken', config: { 'connector.class': 'BrokenSource' } });
    expect(create.status).toBe(500);
    expect(create.body.message).toBe(expected);
    expect((await api('GET', '/connectors')).body).not.toContain('broken');
  });
});
