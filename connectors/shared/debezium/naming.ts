/**
 * Debezium's topic and schema naming: data-change topics `<prefix>.<part>.<table>`, the key /
 * value / envelope schema names derived from the topic, and topic-name sanitising.
 */

/** Replaces characters Kafka does not allow in topic names with `_` (AbstractTopicNamingStrategy). */
export function sanitizeTopicName(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]/g, '_');
}

/** `<prefix><d><part1><d><part2>…`, sanitised. */
export function dataChangeTopic(prefix: string, parts: readonly string[], delimiter = '.'): string {
  return sanitizeTopicName([prefix, ...parts].join(delimiter));
}

export const keySchemaName = (topic: string): string => `${topic}.Key`;
export const valueSchemaName = (topic: string): string => `${topic}.Value`;
export const envelopeSchemaName = (topic: string): string => `${topic}.Envelope`;

/** `<prefix>.transaction` (topic.transaction, default `transaction`). */
export const transactionTopic = (prefix: string, suffix = 'transaction', delimiter = '.'): string =>
  sanitizeTopicName(`${prefix}${delimiter}${suffix}`);

/** `__debezium-heartbeat.<prefix>` unless topic.heartbeat.name overrides it. */
export const heartbeatTopic = (prefix: string, heartbeatPrefix = '__debezium-heartbeat', delimiter = '.'): string =>
  sanitizeTopicName(`${heartbeatPrefix}${delimiter}${prefix}`);
