/**
 * Small plugins for runtime tests: a source whose task fails on demand (to exercise FAILED,
 * traces and restarts) and which declares a PASSWORD config (to check secrets are never echoed).
 */
import { ConfigDef } from '../../runtime/config/config-def.ts';
import { SourceRecord } from '../../runtime/data/records.ts';
import { Schemas } from '../../runtime/data/schema.ts';
import { ConnectException, DataException, RetriableException } from '../../runtime/errors.ts';
import type { SinkRecord } from '../../runtime/data/records.ts';
import type { SinkConnector } from '../../runtime/spi/connector.ts';
import type { SinkTask, SinkTaskContext } from '../../runtime/spi/sink.ts';
import type { PluginDescriptor } from '../../runtime/plugins/types.ts';
import type { SourceConnector } from '../../runtime/spi/connector.ts';
import type { SourceTask, SourceTaskContext } from '../../runtime/spi/source.ts';

const CONFIG = new ConfigDef()
  .define({
    name: 'topic',
    type: 'STRING',
    defaultValue: 'counter',
    importance: 'HIGH',
    documentation: 'Topic to write to.',
  })
  .define({
    name: 'fail.task',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    documentation: 'Make every task fail on start.',
  })
  .define({
    name: 'fail.once.file',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'Fail the task on start while this file exists.',
  })
  .define({
    name: 'poll.fail.file',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'poll() throws a RetriableException (as a source whose database is gone) while this file exists.',
  })
  .define({
    name: 'db.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'A secret.',
  });

class CounterTask implements SourceTask {
  private ctx!: SourceTaskContext;
  private n = 0;
  private topic = 'counter';
  private pollFailFile = '';
  version() {
    return '1.0.0';
  }
  initialize(ctx: SourceTaskContext) {
    this.ctx = ctx;
  }
  async start(props: Record<string, string>) {
    if (props['fail.task'] === 'true') throw new ConnectException('task failed on purpose');
    if (props['fail.once.file'] && (await import('node:fs')).existsSync(props['fail.once.file']))
      throw new ConnectException('task failed while the marker file exists');
    this.topic = props.topic ?? 'counter';
    this.pollFailFile = props['poll.fail.file'] ?? '';
    const off = this.ctx.offsetStorageReader.offset({ counter: this.topic });
    this.n = typeof off?.n === 'number' ? off.n : 0;
  }
  async poll(): Promise<SourceRecord[] | null> {
    await new Promise((r) => setTimeout(r, 20));
    if (this.pollFailFile && (await import('node:fs')).existsSync(this.pollFailFile))
      throw new RetriableException('source database unreachable (test)');
    if (this.n >= 50) return null;
    const out: SourceRecord[] = [];
    for (let i = 0; i < 10; i++) {
      this.n++;
      out.push(
        new SourceRecord({
          topic: this.topic,
          sourcePartition: { counter: this.topic },
          sourceOffset: { n: this.n },
          valueSchema: Schemas.INT32,
          value: this.n,
        }),
      );
    }
    return out;
  }
  stop() {}
}

export class CounterConnector implements SourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};
  version() {
    return '1.0.0';
  }
  config() {
    return CONFIG;
  }
  start(props: Record<string, string>) {
    this.props = props;
  }
  taskConfigs(max: number) {
    return Array.from({ length: max }, () => ({ ...this.props }));
  }
  createTask() {
    return new CounterTask();
  }
  stop() {}
}

export const testPlugins: PluginDescriptor[] = [
  { type: 'source', className: 'test.CounterSourceConnector', version: '1.0.0', create: () => new CounterConnector() },
];

/** A sink that keeps records in memory and hands values containing "reject" to the errant record reporter. */
export const collectedBySink: unknown[] = [];

class RejectingSinkTask implements SinkTask {
  private ctx!: SinkTaskContext;
  version() {
    return '1.0.0';
  }
  initialize(ctx: SinkTaskContext) {
    this.ctx = ctx;
  }
  start() {}
  async put(records: SinkRecord[]) {
    for (const r of records) {
      if (String(JSON.stringify(r.value)).includes('reject'))
        await this.ctx.errantRecordReporter()!.report(r, new DataException(`cannot write ${JSON.stringify(r.value)}`));
      else collectedBySink.push(r.value);
    }
  }
  stop() {}
}

export class RejectingSinkConnector implements SinkConnector {
  readonly type = 'sink' as const;
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
  taskConfigs(max: number) {
    return Array.from({ length: max }, () => ({ ...this.props }));
  }
  createTask() {
    return new RejectingSinkTask();
  }
  stop() {}
}

testPlugins.push({
  type: 'sink',
  className: 'test.RejectingSinkConnector',
  version: '1.0.0',
  create: () => new RejectingSinkConnector(),
});

/**
 * A source plugin of one task made by `createTask`, configured by a `topic` key: for tests whose
 * interest is the task's records, not its connector.
 */
export function oneTaskSource(className: string, createTask: () => SourceTask): PluginDescriptor {
  class OneTaskSourceConnector implements SourceConnector {
    readonly type = 'source' as const;
    private props: Record<string, string> = {};
    version() {
      return '1.0.0';
    }
    config() {
      return new ConfigDef().define({ name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'Topic.' });
    }
    start(props: Record<string, string>) {
      this.props = props;
    }
    taskConfigs() {
      return [{ ...this.props }];
    }
    createTask() {
      return createTask();
    }
    stop() {}
  }
  return { type: 'source', className, version: '1.0.0', create: () => new OneTaskSourceConnector() };
}
