/**
 * A connector that asks for task reconfiguration (ConnectorContext.requestTaskReconfiguration)
 * gets its tasks restarted with the new task configs, as Kafka Connect's standalone herder
 * (updateConnectorTasks) does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigDef } from '../../runtime/config/config-def.ts';
import type { SourceRecord } from '../../runtime/data/records.ts';
import { silentLogger } from '../../runtime/logging.ts';
import type { PluginDescriptor } from '../../runtime/plugins/types.ts';
import type { ConnectorContext, SourceConnector } from '../../runtime/spi/connector.ts';
import type { SourceTask } from '../../runtime/spi/source.ts';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { waitFor } from '../helpers/wait.ts';

let reconfigure: (() => void) | undefined;
let generation = 1;
const started: string[] = [];

class IdleTask implements SourceTask {
  version() {
    return '1.0.0';
  }
  initialize() {}
  start(props: Record<string, string>) {
    started.push(props.generation);
  }
  async poll(): Promise<SourceRecord[] | null> {
    await new Promise((r) => setTimeout(r, 20));
    return null;
  }
  stop() {}
}

class GenerationConnector implements SourceConnector {
  readonly type = 'source' as const;
  version() {
    return '1.0.0';
  }
  config() {
    return new ConfigDef();
  }
  initialize(ctx: ConnectorContext) {
    reconfigure = () => ctx.requestTaskReconfiguration();
  }
  start() {}
  taskConfigs() {
    return [{ generation: String(generation) }];
  }
  createTask() {
    return new IdleTask();
  }
  stop() {}
}

const plugins: PluginDescriptor[] = [
  { type: 'source', className: 'test.GenerationConnector', version: '1.0.0', create: () => new GenerationConnector() },
];
let worker: RunningWorker | undefined;
afterEach(async () => worker?.stop());

describe('task reconfiguration requested by the connector (standalone)', () => {
  it('restarts the tasks with the new task configs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-reconfig-'));
    worker = await startStandaloneWorker(
      { listeners: 'http://127.0.0.1:0', 'tributary.data.dir': dir, 'tributary.log.sync': 'os' },
      { plugins, logger: silentLogger },
    );
    await worker.herder.putConnectorConfig(
      'gen',
      { name: 'gen', 'connector.class': 'test.GenerationConnector', 'tasks.max': '1' },
      { allowReplace: false },
    );
    await waitFor(() => started.includes('1') || undefined, { what: 'the first task' });
    generation = 2;
    reconfigure!();
    await waitFor(() => started.includes('2') || undefined, { what: 'the task restarted with generation 2' });
    const tasks = (await (await fetch(`${worker.url}/connectors/gen/tasks`)).json()) as Array<{
      config: Record<string, string>;
    }>;
    expect(tasks.map((t) => t.config.generation)).toEqual(['2']);
  });
});
