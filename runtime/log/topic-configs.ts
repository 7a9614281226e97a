/**
 * Kafka topic configs (`topic.creation.*`, admin createTopic) as the embedded log's TopicSpec:
 * retention.ms, retention.bytes, cleanup.policy, delete.retention.ms, min.compaction.lag.ms.
 * Values the log cannot honour are refused, naming the key, the value and the fix.
 */
import { ConnectException } from '../errors.ts';
import type { CleanupPolicy, TopicSpec } from './types.ts';

/** Kafka's cleanup.policy: a comma-separated list of 'delete' and 'compact'. */
export function parseCleanupPolicy(value: string | undefined, topic: string): CleanupPolicy | undefined {
  if (value === undefined) return undefined;
  const parts = new Set(
    value
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter((p) => p !== ''),
  );
  const unknown = [...parts].filter((p) => p !== 'delete' && p !== 'compact');
  if (unknown.length > 0 || parts.size === 0) {
    throw new ConnectException(
      `Topic ${topic}: cleanup.policy '${value}' is not valid; use delete, compact or compact,delete`,
      { code: 'TRIB_ERR_LOG_INVALID' },
    );
  }
  if (parts.has('compact') && parts.has('delete')) return 'compact,delete';
  return parts.has('compact') ? 'compact' : 'delete';
}

function longConfig(configs: Record<string, string>, key: string, topic: string, min: number): number | undefined {
  const raw = configs[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new ConnectException(`Topic ${topic}: ${key} '${raw}' is not valid; use an integer >= ${min}`, {
      code: 'TRIB_ERR_LOG_INVALID',
    });
  }
  return n;
}

/** The TopicSpec of a topic created with Kafka topic configs. */
export function topicSpecFromConfigs(name: string, partitions: number, configs: Record<string, string>): TopicSpec {
  return {
    name,
    partitions,
    retentionMs: longConfig(configs, 'retention.ms', name, -1),
    retentionBytes: longConfig(configs, 'retention.bytes', name, -1),
    cleanupPolicy: parseCleanupPolicy(configs['cleanup.policy'], name),
    deleteRetentionMs: longConfig(configs, 'delete.retention.ms', name, 0),
    minCompactionLagMs: longConfig(configs, 'min.compaction.lag.ms', name, 0),
  };
}
