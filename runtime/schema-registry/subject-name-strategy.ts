/**
 * Confluent's subject naming strategies (io.confluent.kafka.serializers.subject.*): which registry
 * subject a topic's key or value schema is registered under.
 */
import { ConfigException } from '../errors.ts';

export type SubjectNameStrategy = (topic: string, isKey: boolean, recordName: string) => string;

const PACKAGE = 'io.confluent.kafka.serializers.subject.';

export const SUBJECT_NAME_STRATEGIES: Readonly<Record<string, SubjectNameStrategy>> = {
  /** `<topic>-key` / `<topic>-value`: one schema lineage per topic (the default). */
  [`${PACKAGE}TopicNameStrategy`]: (topic, isKey) => `${topic}-${isKey ? 'key' : 'value'}`,
  /** The record's fully-qualified name: one lineage per record type, across topics. */
  [`${PACKAGE}RecordNameStrategy`]: (_topic, _isKey, recordName) => recordName,
  /** `<topic>-<record name>`: several record types per topic, each with its own lineage. */
  [`${PACKAGE}TopicRecordNameStrategy`]: (topic, _isKey, recordName) => `${topic}-${recordName}`,
};

export function subjectNameStrategy(key: string, className: string): SubjectNameStrategy {
  const strategy =
    SUBJECT_NAME_STRATEGIES[className.trim()] ?? SUBJECT_NAME_STRATEGIES[`${PACKAGE}${className.trim()}`];
  if (!strategy) {
    throw new ConfigException(
      `Invalid value ${className} for configuration ${key}: unknown subject name strategy; use one of ${Object.keys(SUBJECT_NAME_STRATEGIES).join(', ')}`,
      { key },
    );
  }
  return strategy;
}
