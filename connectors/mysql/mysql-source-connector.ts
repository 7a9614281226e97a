/** The connector: validates the config (refusing what is not implemented) and runs one task. */
import type { ConfigDef, ConfigValue } from '../../sdk/config.ts';
import type { SourceConnector, SourceReplayPlan, SourceTask } from '../../sdk/spi.ts';
import { binlogReplayPlan } from './binlog-locator.ts';
import { alterBinlogOffsets } from './alter-offsets.ts';
import { binlogRetentionNotice } from './stopped-notice.ts';
import type { SourceOffset, SourcePartition } from '../../sdk/data.ts';
import { MYSQL_SOURCE_CONFIG, parseMysqlSettings, validateMysqlConfig } from './config.ts';
import { CONNECTOR_VERSION, MysqlSourceTask } from './mysql-source-task.ts';
import { SingleTaskSourceConnector } from '../shared/single-task-source-connector.ts';

export class MysqlSourceConnector extends SingleTaskSourceConnector implements SourceConnector {
  version(): string {
    return CONNECTOR_VERSION;
  }
  config(): ConfigDef {
    return MYSQL_SOURCE_CONFIG;
  }
  validate(props: Record<string, string>): ConfigValue[] {
    return validateMysqlConfig(props);
  }

  protected checkSettings(props: Record<string, string>): void {
    parseMysqlSettings(props);
  }

  createTask(): SourceTask {
    return new MysqlSourceTask();
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
