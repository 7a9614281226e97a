/**
 * MBeans named as Kafka Connect names them, each a set of named attributes (counters, windowed
 * rates, avg/max over a window, or values read at scrape time). Registered in registry.ts.
 */
import { JMX_DOMAIN } from './names.ts';

export type Tags = Record<string, string>;
/** Map values are JMX `Map<String, Long>` attributes (Debezium's RowsScanned). */
export type AttributeValue = number | string | boolean | null | Record<string, number | string>;

/** Kafka's metrics.sample.window.ms (30 s) × metrics.num.samples (2). */
const WINDOW_MS = 60_000;

/**
 * Values recorded over a sliding window, kept as one bucket per second (sum, count, max), so that
 * memory and reads stay bounded however often a value is recorded (a Kafka client records every
 * socket write).
 */
export class WindowedStat {
  private buckets: Array<{ second: number; sum: number; n: number; max: number }> = [];
  total = 0;
  count = 0;

  record(value: number, now = Date.now()): void {
    this.total += value;
    this.count++;
    const second = Math.floor(now / 1000);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.second === second) {
      last.sum += value;
      last.n++;
      if (value > last.max) last.max = value;
    } else {
      this.buckets.push({ second, sum: value, n: 1, max: value });
    }
    this.trim(now);
  }

  /** Drops the seconds wholly before the window. */
  private trim(now: number): void {
    const cutoff = now - WINDOW_MS;
    let i = 0;
    while (i < this.buckets.length && (this.buckets[i].second + 1) * 1000 <= cutoff) i++;
    if (i > 0) this.buckets.splice(0, i);
  }

  private fold(now: number): { sum: number; n: number; max: number } {
    this.trim(now);
    let sum = 0;
    let n = 0;
    let max = -Infinity;
    for (const b of this.buckets) {
      sum += b.sum;
      n += b.n;
      if (b.max > max) max = b.max;
    }
    return { sum, n, max };
  }

  /** Sum per second over the window. */
  rate(now = Date.now()): number {
    return this.fold(now).sum / (WINDOW_MS / 1000);
  }

  /** Samples per second over the window. */
  countRate(now = Date.now()): number {
    return this.fold(now).n / (WINDOW_MS / 1000);
  }

  avg(now = Date.now()): number {
    const f = this.fold(now);
    return f.n === 0 ? Number.NaN : f.sum / f.n;
  }

  max(now = Date.now()): number {
    const f = this.fold(now);
    return f.n === 0 ? Number.NaN : f.max;
  }
}

export class MBean {
  private readonly attributes = new Map<string, () => AttributeValue>();

  /** Who registered the bean when its name does not say (connector-defined beans): matched by removeWhere. */
  owner: Tags = {};

  constructor(
    readonly type: string,
    readonly tags: Tags,
    readonly domain: string = JMX_DOMAIN,
  ) {}

  get objectName(): string {
    return `${this.domain}:type=${this.type}${Object.entries(this.tags)
      .map(([k, v]) => `,${k}=${quoteIfNeeded(v)}`)
      .join('')}`;
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
