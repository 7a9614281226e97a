/**
 * Issue 22: a task that does not stop within task.shutdown.graceful.timeout.ms (its poll ignores
 * the stop) is named in the log and closed forcibly, so DELETE and the worker's stop finish in
 * bounded time instead of waiting for it forever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ConfigDef } from '../../runtime/config/config-def.ts';
import { createLogger } from '../../runtime/logging.ts';
import type { PluginDescriptor } from '../../runtime/plugins/types.ts';
import type { SourceConnector } from '../../runtime/spi/connector.ts';
import type { SourceTask } from '../../runtime/spi/source.ts';
import type { SourceRecord } from '../../runtime/data/records.ts';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { FORCED_CLOSE_MS } from '../../runtime/worker/worker-task.ts';
import { waitFor } from '../helpers/wait.ts';

const GRACEFUL_MS = 300;
const stopCalls: string[] = [];

/** A task whose poll blocks until its stop() runs, ignoring the abort signal: stopping it needs the forced close. */
class StuckTask implements SourceTask {
  private release: (() => void) | undefined;
  private name = '';
  version() {
    return '1.0.0';
  }
  initialize() {}
  start(props: Record<string, string>) {
    this.name = props.name ?? '';
  }
  async poll(): Promise<SourceRecord[] | null> {
    await new Promise<void>((r) => {
      this.release = r;
    });
    return null;
  }
  stop() {
    stopCalls.push(this.name);
    this.release?.();
  }
}

class StuckConnector implements SourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};
  version() {
    return '1.0.0';
  }
  config() {
    return new ConfigDef();
  }
  start(props: Record<string, string>) {
    this.props = props;
  }
  taskConfigs() {
    return [{ ...this.props }];
  }
  createTask() {
    return new StuckTask();
  }
  stop() {}
}

/** A connector whose own stop() never finishes. */
class HangingStopConnector extends StuckConnector {
  override stop(): Promise<void> {
    return new Promise(() => undefined);
  }
}

const plugins: PluginDescriptor[] = [
  { type: 'source', className: 'test.StuckSourceConnector', version: '1.0.0', create: () => new StuckConnector() },
  {
    type: 'source',
    className: 'test.HangingStopConnector',
    version: '1.0.0',
    create: () => new HangingStopConnector(),
  },
];

let worker: RunningWorker | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

async function start(): Promise<{ lines: () => Array<Record<string, unknown>> }> {
  const out: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      out.push(String(chunk));
      cb();
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-stuck-'));
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': dir,
      'tributary.log.sync': 'os',
      'task.shutdown.graceful.timeout.ms': String(GRACEFUL_MS),
    },
    { plugins, logger: createLogger({ level: 'info', destination }) },
  );
  return {
    lines: () =>
      out
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

async function createStuck(name: string, connectorClass = 'test.StuckSourceConnector'): Promise<void> {
  const res = await fetch(`${worker!.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, config: { 'connector.class': connectorClass, topic: name } }),
  });
  expect(res.status).toBe(201);
  await waitFor(
    async () =>
      ((await (await fetch(`${worker!.url}/connectors/${name}/status`)).json()) as { tasks: Array<{ state: string }> })
        .tasks[0]?.state === 'RUNNING',
    { what: `${name} running` },
  );
}

describe('a task that overruns task.shutdown.graceful.timeout.ms', () => {
  it('DELETE logs which task held the stop, closes it forcibly and answers in bounded time', async () => {
    const { lines } = await start();
    await createStuck('stuck-delete');
    const t0 = Date.now();
    const res = await fetch(`${worker!.url}/connectors/stuck-delete`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(Date.now() - t0).toBeLessThan(GRACEFUL_MS + FORCED_CLOSE_MS + 3000);
    expect(stopCalls).toContain('stuck-delete');
    const warn = lines().find((l) => String(l.msg).includes('Graceful stop of task stuck-delete-0 failed'));
    expect(warn, JSON.stringify(lines())).toBeDefined();
    expect(warn!.level).toBe(40);
    expect(String(warn!.msg)).toContain(`task.shutdown.graceful.timeout.ms=${GRACEFUL_MS}`);
  });

  it('the worker stop bounds every overrunning task by one shared timeout, not one after the other', async () => {
    const { lines } = await start();
    const names = ['stuck-a', 'stuck-b', 'stuck-c'];
    for (const n of names) await createStuck(n);
    const t0 = Date.now();
    await worker!.stop();
    worker = undefined;
    const ms = Date.now() - t0;
    // One after the other this would take 3 × (GRACEFUL_MS + forced close).
    expect(ms).toBeLessThan(GRACEFUL_MS + FORCED_CLOSE_MS + 1500);
    for (const n of names) {
      expect(stopCalls).toContain(n);
      expect(lines().some((l) => String(l.msg).includes(`Graceful stop of task ${n}-0 failed`))).toBe(true);
    }
  });

  it('a connector whose stop() hangs is reported and left behind after the timeout', async () => {
    const { lines } = await start();
    await createStuck('hanging-connector', 'test.HangingStopConnector');
    const t0 = Date.now();
    expect((await fetch(`${worker!.url}/connectors/hanging-connector`, { method: 'DELETE' })).status).toBe(204);
    expect(Date.now() - t0).toBeLessThan(2 * GRACEFUL_MS + FORCED_CLOSE_MS + 3000);
    expect(
      lines().some((l) =>
        String(l.msg).includes(
          `Connector hanging-connector did not stop within task.shutdown.graceful.timeout.ms=${GRACEFUL_MS}`,
        ),
      ),
    ).toBe(true);
  });
});
