/**
 * A JMX-like metrics registry: MBeans named as Kafka Connect names them, each a set of named
 * attributes (counters, windowed rates, avg/max over a window, or values read at scrape time).
 * Prometheus exposition follows the jmx_exporter/Strimzi rule
 * `kafka.connect<type=(.+)-metrics, connector=..., task=...><>attr` → `kafka_connect_$1_$attr`.
 */
import { JMX_DOMAIN } from './names.ts';

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

  list(): MBean[] {
    return [...this.beans.values()];
  }

  /**
   * Prometheus text format 0.0.4. String attributes become `<name>{<attr>="value"} 1` info-style
   * samples, booleans 1/0, maps one sample per key. Debezium's beans follow Debezium's
   * jmx_exporter example: `debezium_metrics_<attr>{plugin, context, name}`.
   */
  toPrometheus(): string {
    const families = new Map<string, { type: 'gauge' | 'counter'; help: string; lines: string[] }>();
    for (const bean of this.beans.values()) {
      const debezium = bean.domain.startsWith('debezium.');
      const group = bean.type.replace(/-metrics$/, '').replace(/^connect-/, '');
      const labels = debezium
        ? [`plugin="${escapeLabel(bean.domain.slice('debezium.'.length))}"`, ...Object.entries(bean.tags).map(([k, v]) => `${k === 'server' ? 'name' : k}="${escapeLabel(v)}"`)]
        : Object.entries(bean.tags).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      for (const [attr, value] of Object.entries(bean.read())) {
        const name = (debezium ? `debezium_metrics_${attr}` : `kafka_connect_${group}_${attr}`).replace(/[^a-zA-Z0-9_]/g, '_').toLowerCase();
        let fam = families.get(name);
        if (!fam) {
          fam = { type: attr.endsWith('-total') ? 'counter' : 'gauge', help: `${bean.type} ${attr}`, lines: [] };
          families.set(name, fam);
        }
        const sample = (extra: string[], v: number): string => {
          const all = [...labels, ...extra];
          return `${name}${all.length ? `{${all.join(',')}}` : ''} ${formatNumber(v)}`;
        };
        if (typeof value === 'string') fam.lines.push(sample([`${attr.replace(/-/g, '_')}="${escapeLabel(value)}"`], 1));
        else if (typeof value === 'boolean') fam.lines.push(sample([], value ? 1 : 0));
        else if (typeof value === 'number') fam.lines.push(sample([], value));
        else if (value !== null) for (const [k, v] of Object.entries(value)) fam.lines.push(sample([`key="${escapeLabel(k)}"`], v));
      }
    }
    const out: string[] = [];
    for (const [name, fam] of [...families.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (fam.lines.length === 0) continue;
      out.push(`# HELP ${name} ${fam.help}`, `# TYPE ${name} ${fam.type}`, ...fam.lines);
    }
    return out.join('\n') + '\n';
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
