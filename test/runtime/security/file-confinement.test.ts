/**
 * Issue 13 item 5: the FileStream connectors read and write only inside the worker's
 * `file.allowed.paths`. Refused when a config is created, updated or validated (400 naming `file`
 * and the fix), and again when a task starts (a config stored before the worker narrowed its
 * paths, a symlink planted after validation), with `..` normalised and symlinks resolved.
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
const OUTSIDE_CONTENT = 'PLANTED-OUTSIDE-FILE-CONTENT-5e11';
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-sec-files-')));
const allowed = path.join(root, 'allowed');
const later = path.join(root, 'later');
const outside = path.join(root, 'outside');
let closed: RunningWorker;
let worker: RunningWorker;

const base = { listeners: 'http://127.0.0.1:0', 'tributary.log.sync': 'os', 'offset.flush.interval.ms': '100' };
const json = (method: string, body: unknown) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const call = (w: RunningWorker, method: string, p: string, body?: unknown) =>
  capture.fetch(`${w.url}${p}`, body === undefined ? { method } : json(method, body));
const src = (file: string) => ({ 'connector.class': 'FileStreamSource', file, topic: 'lines' });
const sink = (file: string) => ({ 'connector.class': 'FileStreamSink', file, topics: 'lines' });

beforeAll(async () => {
  for (const d of [allowed, later, outside]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(outside, 'secret.txt'), `${OUTSIDE_CONTENT}\n`);
  fs.writeFileSync(path.join(allowed, 'in.txt'), 'a\nb\n');
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(allowed, 'innocent.txt'));
  closed = await startStandaloneWorker(
    { ...base, 'tributary.data.dir': path.join(root, 'closed') },
    { plugins: testPlugins, logger: capture.logger },
  );
  worker = await startStandaloneWorker(
    { ...base, 'tributary.data.dir': path.join(root, 'data'), 'file.allowed.paths': `${allowed},${later}` },
    { plugins: testPlugins, logger: capture.logger },
  );
});

afterAll(async () => {
  await closed?.stop();
  await worker?.stop();
});

describe('validation: POST, PUT and validate refuse files outside file.allowed.paths', () => {
  it('a worker with no file.allowed.paths refuses FileStream connectors with a file, naming the key', async () => {
    for (const [name, config] of [
      ['shadow', src('/etc/shadow')],
      ['writer', sink(path.join(allowed, 'out.txt'))],
    ] as const) {
      const res = await call(closed, 'POST', '/connectors', { name, config });
      expect(res.status).toBe(400);
      expect(res.json.message).toContain('Invalid value for configuration file:');
      expect(res.json.message).toContain('file.allowed.paths is empty');
    }
    expect((await call(closed, 'GET', '/connectors')).json).toEqual([]);
  });

  const outsideCases: Array<[string, Record<string, string>]> = [
    ['reading /etc/shadow', src('/etc/shadow')],
    ['reading through ..', src(`${allowed}/../outside/secret.txt`)],
    ['reading through a symlink in an allowed directory', src(path.join(allowed, 'innocent.txt'))],
    ['writing /etc', sink('/etc/tributary-was-here')],
    ['writing through ..', sink(`${allowed}/../outside/written.txt`)],
    ['writing a relative path', sink('relative-out.txt')],
  ];
  for (const [what, config] of outsideCases) {
    it(`refuses ${what}`, async () => {
      const created = await call(worker, 'POST', '/connectors', { name: 'x', config });
      expect(created.status).toBe(400);
      expect(created.json.message).toMatch(
        /Invalid value for configuration file: .*outside the worker's file\.allowed\.paths .*add its directory to file\.allowed\.paths/,
      );
      const put = await call(worker, 'PUT', '/connectors/x/config', config);
      expect(put.status).toBe(400);
      const plugin = config['connector.class'];
      const validated = await call(worker, 'PUT', `/connector-plugins/${plugin}/config/validate`, config);
      const file = validated.json.configs.find((c: any) => c.value.name === 'file');
      expect(file.value.errors[0]).toContain('file.allowed.paths');
    });
  }

  it('accepts files inside, and the pipeline runs', async () => {
    expect(
      (await call(worker, 'POST', '/connectors', { name: 'in', config: src(path.join(allowed, 'in.txt')) })).status,
    ).toBe(201);
    expect(
      (await call(worker, 'POST', '/connectors', { name: 'out', config: sink(path.join(allowed, 'out.txt')) })).status,
    ).toBe(201);
    await waitFor(
      () =>
        fs.existsSync(path.join(allowed, 'out.txt')) &&
        fs.readFileSync(path.join(allowed, 'out.txt'), 'utf8') === 'a\nb\n',
    );
    await call(worker, 'DELETE', '/connectors/in');
    await call(worker, 'DELETE', '/connectors/out');
  });
});

describe('task start: refused again', () => {
  it('a symlink planted after validation is refused when the task starts; nothing is written outside', async () => {
    const link = path.join(allowed, 'late-link.txt');
    const created = await call(worker, 'POST', '/connectors', {
      name: 'late',
      config: sink(link),
      initial_state: 'STOPPED',
    });
    expect(created.status).toBe(201);
    fs.symlinkSync(path.join(outside, 'late-target.txt'), link);
    await call(worker, 'PUT', '/connectors/late/resume');
    const status = await waitFor(async () => {
      const r = await call(worker, 'GET', '/connectors/late/status');
      return r.json.tasks?.[0]?.state === 'FAILED' ? r.json : null;
    });
    expect(status.tasks[0].trace).toContain("outside the worker's file.allowed.paths");
    expect(fs.existsSync(path.join(outside, 'late-target.txt'))).toBe(false);
    await call(worker, 'DELETE', '/connectors/late');
  });

  it('a connector stored while its directory was allowed fails at start once the worker no longer allows it', async () => {
    const target = path.join(later, 'out.txt');
    expect(
      (await call(worker, 'POST', '/connectors', { name: 'narrowed', config: src(path.join(later, 'in.txt')) })).status,
    ).toBe(201);
    expect((await call(worker, 'POST', '/connectors', { name: 'narrowed-sink', config: sink(target) })).status).toBe(
      201,
    );
    await worker.stop();
    worker = await startStandaloneWorker(
      { ...base, 'tributary.data.dir': path.join(root, 'data'), 'file.allowed.paths': allowed },
      { plugins: testPlugins, logger: capture.logger },
    );
    for (const name of ['narrowed', 'narrowed-sink']) {
      const status = await waitFor(async () => {
        const r = await call(worker, 'GET', `/connectors/${name}/status`);
        return r.json.tasks?.[0]?.state === 'FAILED' ? r.json : null;
      });
      expect(status.tasks[0].trace).toContain(`outside the worker's file.allowed.paths (${allowed})`);
    }
  });
});

describe('planted content', () => {
  it('of a file outside the allowed paths appears in no response body and no log line', () => {
    expect(capture.leaks([OUTSIDE_CONTENT])).toEqual([]);
  });
});
