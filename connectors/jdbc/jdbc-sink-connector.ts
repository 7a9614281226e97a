/**
 * JDBC sink connector, loadable under Confluent's and Debezium's class names. Validation applies
 * the cross-key rules of both (e.g. upsert needs a key, deletes need record_key).
 */
import type { ConfigDef, ConfigValue } from '../../sdk/config.ts';
import type { SinkConnector, SinkTask } from '../../sdk/spi.ts';
import { JDBC_SINK_CONFIG, resolveSettings, validateJdbcSink } from './config.ts';
import { JDBC_SINK_VERSION, JdbcSinkTask } from './jdbc-sink-task.ts';

export class JdbcSinkConnector implements SinkConnector {
  readonly type = 'sink' as const;
  private props: Record<string, string> = {};

  version(): string {
    return JDBC_SINK_VERSION;
  }
  config(): ConfigDef {
    return JDBC_SINK_CONFIG;
  }
  validate(props: Record<string, string>): ConfigValue[] {
    return validateJdbcSink(props);
  }

  start(props: Record<string, string>): void {
    resolveSettings(props);
    this.props = { ...props };
  }

  taskConfigs(maxTasks: number): Array<Record<string, string>> {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask {
    return new JdbcSinkTask();
  }
  stop(): void {}
}
