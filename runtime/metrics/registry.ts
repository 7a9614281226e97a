/**
 * A JMX-like metrics registry: MBeans named as Kafka Connect names them, each a set of named
 * attributes (counters, windowed rates, avg/max over a window, or values read at scrape time).
 * Prometheus exposition: prometheus.ts.
 */
import { JMX_DOMAIN } from './names.ts';
import { type MetricFamily, METRIC_FAMILIES, toPrometheusText } from './prometheus.ts';
import { processMetricsText } from './process-metrics.ts';
import { kafkaClientBeans } from './kafka-client-metrics.ts';

export type Tags = Record<string, string>;
/** Map values are JMX `Map<String, Long>` attributes (Debezium's RowsScanned). */
export type AttributeValue = number | string | boolean | null | Record<string, number>;

/** Kafka's metrics.sample.window.ms (30 s) × metrics.num.samples (2). */
const WINDOW_MS = 60_000;

export class WindowedStat {
  private samples: Array<{ t: number; v: number }> = [];
  total = 0;
  count = 0;

  record(value: number, now = Date.now()): void {
    this.total += value;
    this.count++;
    this.samples.push({ t: now, v: value });
    this.trim(now);
  }

  private trim(now: number): void {
    const cutoff = now - WINDOW_MS;
    let i = 0;
    while (i < this.samples.length && this.samples[i].t < cutoff) i++;
    if (i > 0) this.samples.splice(0, i);
  }

  /** Sum per second over the window. */
  rate(now = Date.now()): number {
    this.trim(now);
    return this.samples.reduce((s, x) => s + x.v, 0) / (WINDOW_MS / 1000);
  }

  /** Samples per second over the window. */
  countRate(now = Date.now()): number {
    this.trim(now);
    return this.samples.length / (WINDOW_MS / 1000);
  }

  avg(now = Date.now()): number {
    this.trim(now);
    return this.samples.length === 0 ? Number.NaN : this.samples.reduce((s, x) => s + x.v, 0) / this.samples.length;
  }

  max(now = Date.now()): number {
    this.trim(now);
    return this.samples.length === 0 ? Number.NaN : Math.max(...this.samples.map((s) => s.v));
  }
}

export class MBean {
  private readonly attributes = new Map<string, () => AttributeValue>();

  /** Who registered the bean when its name does not say (connector-defined beans): matched by removeWhere. */
  owner: Tags = {};

  constructor(readonly type: string, readonly tags: Tags, readonly domain: string = JMX_DOMAIN) {}

  get objectName(): string {
    return `${this.domain}:type=${this.type}${Object.entries(this.tags).map(([k, v]) => `,${k}=${quoteIfNeeded(v)}`).join('')}`;
  }

  define(name: string, read: () => AttributeValue): this {
    this.attributes.set(name, read);
    return this;
  }

  read(): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const [name, fn] of this.attributes) out[name] = fn();
    return out;
  }
}

function quoteIfNeeded(v: string): string {
  return /^[\w\-%. \t]*$/.test(v) ? v : JSON.stringify(v);
}

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
    for (const [name, bean] of this.beans) if (Object.entries(tags).every(([k, v]) => (bean.tags[k] ?? bean.owner[k]) === v)) this.beans.delete(name);
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
    return this.toPrometheus() + await processMetricsText();
  }
}
