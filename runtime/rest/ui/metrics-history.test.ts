import { describe, expect, it } from 'vitest';
import { MBean, MetricsRegistry } from '../../metrics/registry.ts';
import { MetricGroups } from '../../metrics/names.ts';
import { MetricsHistory } from './metrics-history.ts';
import { summarizeConnectors } from './connector-summary.ts';

function registry() {
  const m = new MetricsRegistry();
  const src = { poll: 0, write: 0 };
  const sink = { read: 0, send: 0, lag: 0 };
  m.register(
    new MBean(MetricGroups.sourceTask, { connector: 'src', task: '0' })
      .define('source-record-poll-total', () => src.poll)
      .define('source-record-write-total', () => src.write),
  );
  m.register(
    new MBean(MetricGroups.sinkTask, { connector: 'snk', task: '0' })
      .define('sink-record-read-total', () => sink.read)
      .define('sink-record-send-total', () => sink.send)
      .define('sink-record-lag-max', () => sink.lag),
  );
  m.register(
    new MBean(MetricGroups.taskError, { connector: 'snk', task: '0' })
      .define('total-record-errors', () => 3)
      .define('deadletterqueue-produce-requests', () => 2)
      .define('last-error-timestamp', () => 1700000000000),
  );
  const snapshot = new MBean('connector-metrics', { context: 'snapshot', server: 'db1' }, 'debezium.postgres');
  snapshot.owner = { connector: 'src', task: '0' };
  snapshot
    .define('SnapshotRunning', () => true)
    .define('SnapshotCompleted', () => false)
    .define('TotalTableCount', () => 4)
    .define('RemainingTableCount', () => 1)
    .define('TotalRowsScanned', () => 300)
    .define('TotalRowsEstimated', () => 400)
    .define('CurrentTable', () => 'public.d');
  m.register(snapshot);
  const streaming = new MBean('connector-metrics', { context: 'streaming', server: 'db1' }, 'debezium.postgres');
  streaming.owner = { connector: 'src', task: '0' };
  streaming.define('MilliSecondsBehindSource', () => 250);
  m.register(streaming);
  return { m, src, sink };
}

describe('connector summary', () => {
  it('adds up the task beans per connector, with errors, DLQ, Debezium lag, snapshot and sink catch-up', () => {
    const { m, sink } = registry();
    sink.read = 60;
    sink.lag = 40;
    const s = summarizeConnectors(m);
    expect(s.src).toMatchObject({
      behindSourceMs: 250,
      sinkLag: null,
      snapshot: {
        running: true,
        tablesTotal: 4,
        tablesRemaining: 1,
        rowsScanned: 300,
        rowsEstimated: 400,
        currentTable: 'public.d',
      },
    });
    expect(s.snk).toMatchObject({
      recordsIn: 60,
      sinkLag: 40,
      errors: 3,
      dlqRequests: 2,
      lastErrorTimestamp: 1700000000000,
      catchUp: { read: 60, lag: 40 },
    });
  });
});

describe('metrics history', () => {
  it('records per second between samples, a restarted task counted from zero, one hour kept', () => {
    const { m, src } = registry();
    const h = new MetricsHistory(m, 5000);
    const t0 = 1_000_000_000;
    h.sample(t0);
    src.poll = 50;
    src.write = 50;
    h.sample(t0 + 5000);
    src.write = 10; // the task restarted: its total starts again
    h.sample(t0 + 10_000);
    const pts = h.since(60, t0 + 10_000);
    expect(pts.map((p) => p.connectors.src.out)).toEqual([0, 10, 2]);
    expect(pts[1].connectors.src.behindMs).toBe(250);
    expect(pts[1].connectors.snk.lag).toBe(0);
    h.sample(t0 + 3_600_000 + 6000);
    expect(h.since(60, t0 + 3_600_000 + 6000).map((p) => p.t)).toEqual([t0 + 10_000, t0 + 3_600_000 + 6000]);
    expect(h.since(1, t0 + 3_600_000 + 6000)).toHaveLength(1);
  });
});
