/**
 * io.debezium.connector.postgresql.PostgresConnector: validates the config (rejecting what is not
 * implemented) and runs one task, as Debezium does (one replication slot per connector).
 */
import { ParsedConfig, type ConfigDef, type ConfigValue } from '../../sdk/config.ts';
import { addTlsValidationErrors } from '../../sdk/internal/tls.ts';
import type { SourceConnector, SourceTask } from '../../sdk/spi.ts';
import { POSTGRES_CONFIG, parseSettings, rejectUnsupportedKeys } from './config.ts';
import { alterPostgresOffsets } from './alter-offsets.ts';
import { DEBEZIUM_PG_TLS_KEYS, parsePgTls } from '../shared/tls/postgres-tls.ts';
import { replicationSlotNotice } from './slot-notice.ts';

const PG_TLS_KEYS = Object.values(DEBEZIUM_PG_TLS_KEYS);
import type { SourceOffset, SourcePartition } from '../../sdk/data.ts';
import { PostgresSourceTask, POSTGRES_CONNECTOR_VERSION } from './postgres-source-task.ts';
import { SingleTaskSourceConnector } from '../shared/single-task-source-connector.ts';

export class PostgresConnector extends SingleTaskSourceConnector implements SourceConnector {
  version(): string {
    return POSTGRES_CONNECTOR_VERSION;
  }
  config(): ConfigDef {
    return POSTGRES_CONFIG;
  }

  validate(props: Record<string, string>): ConfigValue[] {
    const values = POSTGRES_CONFIG.validate(props);
    try {
      rejectUnsupportedKeys(props);
    } catch (err) {
      const key = (err as { key?: string }).key;
      values.push({
        name: key ?? 'connector.class',
        value: key ? props[key] : null,
        recommendedValues: [],
        errorMessages: [(err as Error).message],
        visible: true,
      });
    }
    addTlsValidationErrors(values, PG_TLS_KEYS, () => parsePgTls(new ParsedConfig(POSTGRES_CONFIG, props)));
    return values;
  }

  protected checkSettings(props: Record<string, string>): void {
    parseSettings(props);
  }

  createTask(): SourceTask {
    return new PostgresSourceTask();
  }
  alterOffsets(props: Record<string, string>, offsets: Map<SourcePartition, SourceOffset | null>): boolean {
    return alterPostgresOffsets(props, offsets);
  }
  leftBehind(props: Record<string, string>, action: 'deleted' | 'stopped'): string | null {
    return replicationSlotNotice(props, action);
  }
}
