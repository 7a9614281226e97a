/**
 * Kafka Connect's `kafka.connect:type=app-info,client-id=<worker id>` bean (AppInfoParser):
 * version, commit-id, start-time-ms. Confluent's rules turn it into `kafka_connect_app_info`,
 * which drives the kafka-connect-cluster dashboard's variables.
 */
import { MBean, type MetricsRegistry } from './registry.ts';

export function registerAppInfo(
  metrics: MetricsRegistry,
  workerId: string,
  version: string,
  commit: string,
  startedAt = Date.now(),
): void {
  metrics.register(
    new MBean('app-info', { 'client-id': workerId })
      .define('version', () => version)
      .define('commit-id', () => commit)
      .define('start-time-ms', () => String(startedAt)),
  );
}
