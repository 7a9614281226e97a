/**
 * Picks and opens the schema history store `schema.history.internal` names: the file store
 * (FileSchemaHistory), the Kafka topic store (KafkaSchemaHistory) or the in-memory store (tests).
 */
import type { Logger } from '../../../sdk/logging.ts';
import type { MysqlSourceSettings } from '../config.ts';
import { KafkaSchemaHistory } from './kafka-schema-history.ts';
import { FileSchemaHistory, MemorySchemaHistory, type SchemaHistory } from './schema-history.ts';

/** Memory histories survive task restarts within one process (tests), keyed by connector name. */
const MEMORY_HISTORIES = new Map<string, MemorySchemaHistory>();

export async function openSchemaHistory(
  s: MysqlSourceSettings,
  connectorName: string,
  logger: Logger,
): Promise<SchemaHistory> {
  let history: SchemaHistory;
  if (s.historyKind === 'memory') {
    history =
      MEMORY_HISTORIES.get(connectorName) ??
      MEMORY_HISTORIES.set(connectorName, new MemorySchemaHistory()).get(connectorName)!;
  } else if (s.historyKind === 'kafka') {
    // Debezium's schema.history.internal.name default: the client id and group prefix of the history's clients.
    history = new KafkaSchemaHistory(s.kafkaHistory!, `${connectorName}-schemahistory`, logger);
  } else {
    history = new FileSchemaHistory(s.historyFile!);
  }
  try {
    await history.start();
  } catch (err) {
    await history.stop();
    throw err;
  }
  return history;
}
