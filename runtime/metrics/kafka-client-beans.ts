/**
 * The beans of this process's live Kafka clients (kafka-client-metrics.ts adds and removes them),
 * kept apart from the metering code so that listing them (metrics/registry.ts) does not load the
 * Kafka client in a worker that has none.
 */
import type { MBean } from './mbean.ts';

export const liveKafkaClientBeans = new Map<string, MBean>();

/** The beans of this process's live Kafka clients. */
export function kafkaClientBeans(): MBean[] {
  return [...liveKafkaClientBeans.values()];
}
