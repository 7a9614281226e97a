/**
 * The last hour of each connector's throughput and lag, sampled from the worker's MBeans every few
 * seconds and kept in memory for the web console's charts (GET /tributary/console/history).
 * Throughput comes from the record totals between two samples, so the charts show what happened in
 * each interval rather than Kafka's one-minute moving rate.
 */
import type { MetricsRegistry } from '../../metrics/registry.ts';
import { summarizeConnectors } from './connector-summary.ts';

export interface ConnectorPoint {
  /** Records per second into the connector (polled by a source, read by a sink) over the interval. */
  in: number;
  /** Records per second out (written by a source, put by a sink). */
  out: number;
  /** Sink lag in records, or null for a source. */
  lag: number | null;
  /** Debezium MilliSecondsBehindSource, or null. */
  behindMs: number | null;
}

export interface HistoryPoint {
  t: number;
  connectors: Record<string, ConnectorPoint>;
}

export const SAMPLE_INTERVAL_MS = 5_000;
const HOUR_MS = 3_600_000;

export class MetricsHistory {
  private readonly points: HistoryPoint[] = [];
  private previous: { t: number; totals: Record<string, { in: number; out: number }> } | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly metrics: MetricsRegistry,
    readonly intervalMs = SAMPLE_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  sample(now = Date.now()): void {
    const summaries = summarizeConnectors(this.metrics);
    const totals: Record<string, { in: number; out: number }> = {};
    const connectors: Record<string, ConnectorPoint> = {};
    for (const [name, s] of Object.entries(summaries)) {
      totals[name] = { in: s.recordsIn, out: s.recordsOut };
      const before = this.previous?.totals[name];
      const seconds = this.previous ? (now - this.previous.t) / 1000 : 0;
      // A restarted task starts its totals from zero: count what it did since, not a negative rate.
      const rate = (cur: number, prev: number | undefined) =>
        seconds <= 0 || prev === undefined ? 0 : (cur >= prev ? cur - prev : cur) / seconds;
      connectors[name] = {
        in: rate(s.recordsIn, before?.in),
        out: rate(s.recordsOut, before?.out),
        lag: s.sinkLag,
        behindMs: s.behindSourceMs,
      };
    }
    this.previous = { t: now, totals };
    this.points.push({ t: now, connectors });
    while (this.points.length > 0 && this.points[0].t < now - HOUR_MS) this.points.shift();
  }

  /** The points of the last `minutes` (at most 60). */
  since(minutes: number, now = Date.now()): HistoryPoint[] {
    const from = now - Math.min(60, Math.max(1, minutes)) * 60_000;
    return this.points.filter((p) => p.t >= from);
  }
}
