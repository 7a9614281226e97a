/**
 * The worker against its storage and its config, as an operator meets them: a corrupt record
 * fails only the task reading it (status, metrics, /health), a full disk fails or pauses only the
 * writing tasks and they resume once space is back, a second worker on the same directory and a
 * damaged data file are refused in one line, and the worker config is validated as Kafka Connect's.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../runtime/logging.ts';
import { ConfigException } from '../../runtime/errors.ts';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { killProcess, startWorkerProcess } from '../helpers/worker-process.ts';
import { mountSmallFs, type SmallFs } from '../helpers/small-fs.ts';
import { waitFor } from '../helpers/wait.ts';
import { testPlugins } from '../helpers/test-plugins.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
const workers: RunningWorker[] = [];
let disk: SmallFs | undefined;

afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop().catch(() => undefined);
  disk?.unmount();
  disk = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-wdur-'));
  dirs.push(d);
  return d;
}

async function start(props: Record<string, string>, logger = silentLogger): Promise<RunningWorker> {
  const w = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.log.sync': 'os',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      ...props,
    },
    { logger },
  );
  workers.push(w);
  return w;
}

async function api(
  w: RunningWorker,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(w.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // /metrics is text
  }
  return { status: res.status, body: parsed };
}

async function statuses(w: RunningWorker): Promise<unknown> {
  return (await api(w, 'GET', '/connectors?expand=status')).body;
}

const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);

describe('worker config validated at start', () => {
  it('refuses an unknown converter class, naming key and class, and leaves the data directory usable', async () => {
    const dir = tmpDir();
    const err = await start({ 'tributary.data.dir': dir, 'value.converter': 'com.example.NoSuchConverter' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigException);
    expect((err as Error).message).toMatch(
      /^Invalid value com\.example\.NoSuchConverter for configuration value\.converter: Class com\.example\.NoSuchConverter could not be found/,
    );
    expect((err as ConfigException).key).toBe('value.converter');
    const w = await start({ 'tributary.data.dir': dir });
    expect((await api(w, 'GET', '/health')).body.status).toBe('healthy');
  });

  it('logs supplied keys nobody uses, as Kafka Connect does', async () => {
    const dir = tmpDir();
    let out = '';
    const destination = new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    });
    await start(
      {
        'tributary.data.dir': dir,
        'no.such.key': 'x',
        'offset.flush.intervall.ms': '5',
        'value.converter.schemas.enable': 'false',
      },
      createLogger({ level: 'warn', destination }),
    );
    expect(out).toContain(
      "These configurations '[no.such.key, offset.flush.intervall.ms]' were supplied but are not used yet.",
    );
  });
});

describe('a corrupt record in the embedded log', () => {
  it('fails the sink task reading it with topic, partition and offset; the worker reports it in /health and /metrics', async () => {
    const dir = tmpDir();
    let w = await start({ 'tributary.data.dir': dir, 'file.allowed.paths': dir });
    const sender = w.transport.createSender('test');
    for (let i = 0; i < 3; i++)
      await sender.send([
        {
          topic: 'events',
          partition: 0,
          key: null,
          value: Buffer.from(`event-${i}`),
          timestamp: Date.now(),
          headers: [],
        },
      ]);
    await w.stop();
    workers.length = 0;
    const file = path.join(dir, 'data.mdb');
    const buf = fs.readFileSync(file);
    for (let at = buf.indexOf('event-1'); at >= 0; at = buf.indexOf('event-1', at + 1)) buf[at + 6] = 0x37;
    fs.writeFileSync(file, buf);

    w = await start({ 'tributary.data.dir': dir, 'file.allowed.paths': dir });
    const out = path.join(dir, 'out.txt');
    expect(
      (
        await api(w, 'POST', '/connectors', {
          name: 'sink',
          config: { 'connector.class': 'FileStreamSink', topics: 'events', file: out },
        })
      ).status,
    ).toBe(201);
    const task = await waitFor(
      async () => {
        const s = (await api(w, 'GET', '/connectors/sink/status')).body;
        return s.tasks?.[0]?.state === 'FAILED' ? s.tasks[0] : undefined;
      },
      { what: 'the sink task to fail on the corrupt batch' },
    );
    expect(task.trace).toContain(
      `Corrupt record batch in the embedded log ${fs.realpathSync(file)}: topic events partition 0 offset 1: CRC32C mismatch`,
    );
    expect(lines(out)).toEqual(['event-0']); // what precedes the bad batch was delivered, nothing after it
    const health = await api(w, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      status: 'degraded',
      message: expect.stringContaining('1 corrupt record batch(es) found in'),
    });
    const metrics = (await api(w, 'GET', '/metrics')).body as string;
    expect(metrics).toMatch(/^kafka_connect_embedded_log_corrupt_batch_total 1$/m);
    expect(metrics).toMatch(/^kafka_connect_embedded_log_data_dir_size_bytes \d+$/m);
  });
});

describe('a full disk under the data directory', () => {
  it('keeps REST up, says degraded with the cause and path; a task with errors.retry.timeout=-1 resumes once space is back, one with the default fails naming the cause', async () => {
    disk = mountSmallFs(24 * 1024 * 1024);
    const work = tmpDir();
    const dataDir = path.join(disk.dir, 'data');
    const input = path.join(work, 'in.txt');
    const count = 60_000;
    // random text: the log compresses its batches, and repeated text would not fill the disk
    const texts = Array.from(
      { length: count },
      (_v, i) => `line-${String(i).padStart(6, '0')}-${randomBytes(60).toString('base64')}`,
    );
    fs.writeFileSync(input, texts.join('\n') + '\n');
    const w = await start({ 'tributary.data.dir': dataDir, 'file.allowed.paths': work });
    const out = path.join(work, 'out.txt');
    // The sink first: created once the disk is full, its config write could be refused (a CI run
    // lost it so, and waited for lines nobody was reading).
    expect(
      (
        await api(w, 'POST', '/connectors', {
          name: 'sink',
          config: { 'connector.class': 'FileStreamSink', topics: 'lines', file: out },
        })
      ).status,
    ).toBe(201);
    disk.fill(21 * 1024 * 1024);
    await api(w, 'POST', '/connectors', {
      name: 'patient',
      config: {
        'connector.class': 'FileStreamSource',
        file: input,
        topic: 'lines',
        'errors.retry.timeout': '-1',
        'errors.retry.delay.max.ms': '500',
      },
    });
    await api(w, 'POST', '/connectors', {
      name: 'impatient',
      config: { 'connector.class': 'FileStreamSource', file: input, topic: 'lines2' },
    });

    const failed = await waitFor(
      async () => {
        const s = (await api(w, 'GET', '/connectors/impatient/status')).body;
        return s.tasks?.[0]?.state === 'FAILED' ? s.tasks[0] : undefined;
      },
      {
        what: `the task without retries to fail on the full disk (statuses: ${JSON.stringify(await statuses(w))})`,
        timeoutMs: 60_000,
      },
    ).catch(async (e: Error) => {
      throw new Error(
        `${e.message}; statuses now: ${JSON.stringify(await statuses(w))}, health: ${JSON.stringify((await api(w, 'GET', '/health')).body)}`,
      );
    });
    expect(failed.trace).toContain(`no space left on device at ${fs.realpathSync(dataDir)}`);
    const health = await waitFor(
      async () => {
        const h = await api(w, 'GET', '/health');
        return h.body.status === 'degraded' ? h : undefined;
      },
      { what: '/health to say degraded' },
    );
    expect(health.status).toBe(200);
    expect(health.body.message).toContain(`no space left on device at ${fs.realpathSync(dataDir)}`);
    expect((await api(w, 'GET', '/connectors/patient/status')).body.tasks[0].state).toBe('RUNNING');
    expect(lines(out).length).toBeLessThan(count);

    disk.free();
    await waitFor(() => lines(out).length >= count, {
      what: 'every line once space is back',
      timeoutMs: 120_000,
    }).catch(async (e: Error) => {
      throw new Error(
        `${e.message}: ${lines(out).length} of ${count} lines; statuses: ${JSON.stringify(await statuses(w))}; health: ${JSON.stringify((await api(w, 'GET', '/health')).body)}`,
      );
    });
    const got = lines(out);
    expect(new Set(got).size).toBe(count); // all lines, none lost
    expect(got[count - 1]).toBe(texts[count - 1]);
    await waitFor(async () => ((await api(w, 'GET', '/health')).body.status === 'healthy' ? true : undefined), {
      what: '/health healthy again',
    });
  }, 240_000);
});

describe('the data directory from the command line', () => {
  function runCli(cwd: string, config = 'worker.properties'): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'cli/bin.js'), 'standalone', config], {
        cwd,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
  }

  it("a second worker on the same directory is refused in one line naming the first one's PID; a truncated data.mdb too", async () => {
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'worker.properties'),
      'listeners=http://127.0.0.1:0\ntributary.data.dir=data\ntributary.log.level=warn\n',
    );
    const first = startWorkerProcess(dir, []);
    try {
      await waitFor(() => fs.existsSync(path.join(dir, 'data', 'tributary-store.json')) || undefined, {
        what: 'the first worker to open its store',
      });
      const second = await runCli(dir);
      expect(second.code).toBe(1);
      expect(second.stderr.trim()).toMatch(
        new RegExp(
          `^Error: The data directory .*/data is in use by another worker \\(PID ${first.pid} on .*, lock .*tributary\\.lock\\); stop that worker or give this one another tributary\\.data\\.dir$`,
        ),
      );
    } finally {
      await killProcess(first);
    }
    const file = path.join(dir, 'data', 'data.mdb');
    fs.truncateSync(file, 4096 * 3);
    const third = await runCli(dir);
    expect(third.code).toBe(1);
    expect(third.stderr.trim().split('\n')).toHaveLength(1);
    expect(third.stderr).toMatch(/^Error: .*data\.mdb is truncated: 12288 bytes, but its newest meta page/);
  });

  it('an unusable data directory and a bad value end in one line, not a stack trace', async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'afile'), '');
    fs.writeFileSync(
      path.join(dir, 'bad-dir.properties'),
      'listeners=http://127.0.0.1:0\ntributary.data.dir=afile/data\n',
    );
    fs.writeFileSync(
      path.join(dir, 'bad-value.properties'),
      'listeners=http://127.0.0.1:0\ntributary.data.dir=data\nlog.retention.bytes=lots\n',
    );
    const badDir = await runCli(dir, 'bad-dir.properties');
    expect(badDir.code).toBe(1);
    expect(badDir.stderr.trim()).toBe(
      `Error: The data directory ${fs.realpathSync(dir)}/afile/data is not usable: a path component is not a directory at ${fs.realpathSync(dir)}/afile/data (ENOTDIR)`,
    );
    const badValue = await runCli(dir, 'bad-value.properties');
    expect(badValue.code).toBe(1);
    expect(badValue.stderr.trim()).toMatch(
      /^Error: Invalid value lots for configuration log\.retention\.bytes: [^\n]+$/,
    );
  });
});

describe('a promise rejection nobody handles (a bug, e.g. in a plugin)', () => {
  it('is logged and reported in /health; the worker keeps running', async () => {
    const dir = tmpDir();
    // In a process of its own: in this one the test setup fails any test that leaves a rejection unhandled.
    const script = path.join(dir, 'rejecting-worker.mts');
    fs.writeFileSync(
      script,
      `
      import { startStandaloneWorker } from ${JSON.stringify(path.join(ROOT, 'app/workers.ts'))};
      import { silentLogger } from ${JSON.stringify(path.join(ROOT, 'runtime/logging.ts'))};
      const w = await startStandaloneWorker({ listeners: 'http://127.0.0.1:0', 'tributary.data.dir': ${JSON.stringify(path.join(dir, 'data'))} }, { logger: silentLogger });
      void Promise.reject(new Error('a plugin forgot a catch'));
      await new Promise((r) => setTimeout(r, 200));
      const health = await (await fetch(w.url + '/health')).json();
      const connectors = (await fetch(w.url + '/connectors')).status;
      console.log(JSON.stringify({ health, connectors }));
      await w.stop();
    `,
    );
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual({
      health: {
        status: 'degraded',
        message: expect.stringContaining('1 unhandled promise rejection(s) since the worker started'),
      },
      connectors: 200,
    });
  });
});

describe('a source whose database is gone for a while', () => {
  it("keeps its task RUNNING while poll() throws RetriableException and carries on once it answers again (Kafka Connect's poll retry)", async () => {
    const dir = tmpDir();
    const down = path.join(dir, 'database-down');
    fs.writeFileSync(down, '');
    const w = await startStandaloneWorker(
      { listeners: 'http://127.0.0.1:0', 'tributary.data.dir': dir, 'tributary.log.sync': 'os' },
      { logger: silentLogger, plugins: testPlugins },
    );
    workers.push(w);
    expect(
      (
        await api(w, 'POST', '/connectors', {
          name: 'counter',
          config: { 'connector.class': 'test.CounterSourceConnector', topic: 'counts', 'poll.fail.file': down },
        })
      ).status,
    ).toBe(201);
    await waitFor(async () =>
      (await api(w, 'GET', '/connectors/counter/status')).body.tasks?.[0]?.state === 'RUNNING' ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 1500)); // several failed polls
    expect((await api(w, 'GET', '/connectors/counter/status')).body.tasks[0].state).toBe('RUNNING');
    expect(await w.transport.admin.endOffset({ topic: 'counts', partition: 0 })).toBe(0);
    fs.rmSync(down);
    await waitFor(
      async () => ((await w.transport.admin.endOffset({ topic: 'counts', partition: 0 })) === 50 ? true : undefined),
      { what: 'the 50 records once the source answers' },
    );
  });
});
