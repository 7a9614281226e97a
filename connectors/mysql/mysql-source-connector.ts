/** The connector: validates the config (refusing what is not implemented) and runs one task. */
import type { ConfigDef, ConfigValue } from '../../runtime/config/config-def.ts';
import type { SourceConnector, SourceReplayPlan } from '../../runtime/spi/connector.ts';
import { binlogReplayPlan } from './binlog-locator.ts';
import { alterBinlogOffsets } from './alter-offsets.ts';
import { binlogRetentionNotice } from './stopped-notice.ts';
import type { SourceOffset, SourcePartition } from '../../runtime/data/records.ts';
import type { SourceTask } from '../../runtime/spi/source.ts';
import { MYSQL_SOURCE_CONFIG, parseMysqlSettings, validateMysqlConfig } from './config.ts';
import { CONNECTOR_VERSION, MysqlSourceTask } from './mysql-source-task.ts';

export class MysqlSourceConnector implements SourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};

  version(): string {
    return CONNECTOR_VERSION;
  }
  config(): ConfigDef {
    return MYSQL_SOURCE_CONFIG;
  }
  validate(props: Record<string, string>): ConfigValue[] {
    return validateMysqlConfig(props);
  }

  start(props: Record<string, string>): void {
    parseMysqlSettings(props);
    this.props = { ...props };
  }

  taskConfigs(_maxTasks: number): Array<Record<string, string>> {
    return [{ ...this.props }];
  }

  createTask(): SourceTask {
    return new MysqlSourceTask();
  }
  stop(): void {}
  exactlyOnceSupport(): 'SUPPORTED' | 'UNSUPPORTED' {
    return 'UNSUPPORTED';
  }
  alterOffsets(props: Record<string, string>, offsets: Map<SourcePartition, SourceOffset | null>): boolean {
    return alterBinlogOffsets(props, offsets);
  }
  leftBehind(_props: Record<string, string>, action: 'deleted' | 'stopped'): string | null {
    return binlogRetentionNotice(action);
  }
  /** Replay from a point in time: the binlog position of the first transaction at or after it. */
  offsetsForTimestamp(props: Record<string, string>, timestampMs: number): Promise<SourceReplayPlan> {
    return binlogReplayPlan(props, timestampMs);
  }
}
