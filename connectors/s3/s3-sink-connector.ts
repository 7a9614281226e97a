/**
 * S3 sink connector, loadable as Confluent's `io.confluent.connect.s3.S3SinkConnector`. Validation
 * resolves the whole configuration (format, partitioner and their keys), so a config the tasks
 * would refuse is refused when the connector is created.
 */
import type { ConfigDef, ConfigValue } from '../../sdk/config.ts';
import type { SinkConnector, SinkTask } from '../../sdk/spi.ts';
import { S3_SINK_CONFIG } from './config.ts';
import { resolveS3Settings, validateS3Sink, type S3SinkSettings } from './s3-sink-settings.ts';
import { formatFor } from './format/formats.ts';
import { createPartitioner } from './partitioner/partitioner.ts';
import { LazyS3SinkTask, S3_SINK_VERSION } from './lazy-task.ts';

function checkPlugins(s: S3SinkSettings): void {
  formatFor(s.formatClass).validate(s.format);
  createPartitioner(s.partitionerClass, s.parsed);
}

export class S3SinkConnector implements SinkConnector {
  readonly type = 'sink' as const;
  private props: Record<string, string> = {};

  version(): string {
    return S3_SINK_VERSION;
  }
  config(): ConfigDef {
    return S3_SINK_CONFIG;
  }
  validate(props: Record<string, string>): ConfigValue[] {
    return validateS3Sink(props, checkPlugins);
  }

  start(props: Record<string, string>): void {
    checkPlugins(resolveS3Settings(props));
    this.props = { ...props };
  }

  taskConfigs(maxTasks: number): Array<Record<string, string>> {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask {
    return new LazyS3SinkTask();
  }
  stop(): void {}
}
