/**
 * A JMX-like metrics registry: MBeans named as Kafka Connect names them, each a set of named
 * attributes (counters, windowed rates, avg/max over a window, or values read at scrape time).
 * Prometheus exposition: prometheus.ts.
 */
import { type MetricFamily, METRIC_FAMILIES, toPrometheusText } from './prometheus.ts';
import { processMetricsText } from './process-metrics.ts';
import { kafkaClientBeans } from './kafka-client-beans.ts';
import type { MBean, Tags } from './mbean.ts';

export { MBean, WindowedStat, type AttributeValue, type Tags } from './mbean.ts';

export class MetricsRegistry {
  private readonly beans = new Map<string, MBean>();

  /** metrics.prometheus.families: which Kafka Connect name families /metrics writes. */
  constructor(readonly families: readonly MetricFamily[] = METRIC_FAMILIES) {}

  register(bean: MBean): MBean {
    this.beans.set(bean.objectName, bean);
    return bean;
  }

  remove(bean: MBean | undefined): void {
    if (bean) this.beans.delete(bean.objectName);
  }

  /** Removes every MBean whose tags (or owner) include all of `tags` (e.g. everything of one connector). */
  removeWhere(tags: Tags): void {
    for (const [name, bean] of this.beans)
      if (Object.entries(tags).every(([k, v]) => (bean.tags[k] ?? bean.owner[k]) === v)) this.beans.delete(name);
  }

  /** The worker's beans, then the process's Kafka client beans (kafka-client-metrics.ts). */
  list(): MBean[] {
    return [...this.beans.values(), ...kafkaClientBeans()];
  }

  /** The Prometheus text of the MBeans (see prometheus.ts for the names). */
  toPrometheus(): string {
    return toPrometheusText(this.list(), this.families);
  }

  /** What /metrics serves: the MBeans, then the process and runtime collectors. */
  async exposition(): Promise<string> {
    return this.toPrometheus() + (await processMetricsText());
  }
}
