/**
 * Connector-defined metrics: a task registers MBeans of its own (Debezium's
 * `debezium.postgres:type=connector-metrics,context=snapshot,server=<topic.prefix>` and the like)
 * next to the worker's Kafka Connect beans; they are readable over /jolokia and /metrics and are
 * removed when the task stops.
 */
export type MetricValue = number | string | boolean | null | Record<string, number | string>;

/** Registers the task's own MBeans, readable over /jolokia and /metrics while the task runs. */
export interface TaskMetricsContext {
  /** Registers `<domain>:type=<type>,<tags…>` (tags in the given order); attributes are read at scrape time. */
  register(
    domain: string,
    type: string,
    tags: Record<string, string>,
    attributes: Record<string, () => MetricValue>,
  ): void;
}
