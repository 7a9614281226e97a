/**
 * Debezium's LastEvent / SourceEventPosition (CommonEventMetricsMXBean, StreamingMetricsMXBean) and
 * the incremental-snapshot chunk attributes (SnapshotMetricsMXBean: ChunkId, ChunkFrom, ChunkTo,
 * TableFrom, TableTo, TableChunkCounts, TableChunksCompletedCounts). Formats follow Debezium's
 * sources (EventFormatter, SchemaUtil.RecordWriter, SnapshotMeter.arrayToString); no Java oracle
 * runs here because the values are produced inside a running Debezium connector only.
 */
import { describe, expect, it } from 'vitest';
import { MBean, MetricsRegistry } from '../../../runtime/metrics/registry.ts';
import type { MetricValue, TaskMetricsContext } from '../../../runtime/spi/metrics.ts';
import { handleJolokia } from '../../../runtime/rest/jolokia.ts';
import { SchemaBuilder, Schemas } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { StreamingStats, registerStreamingMetrics } from '../../../connectors/shared/streaming-metrics.ts';
import {
  nextChunk,
  registerSnapshotMetrics,
  type SnapshotProgress,
} from '../../../connectors/shared/snapshot-progress.ts';

function metricsInto(registry: MetricsRegistry): TaskMetricsContext {
  return {
    register(
      domain: string,
      type: string,
      tags: Record<string, string>,
      attributes: Record<string, () => MetricValue>,
    ): void {
      const bean = new MBean(type, tags, domain);
      for (const [name, read] of Object.entries(attributes)) bean.define(name, read);
      registry.register(bean);
    },
  };
}

function bean(registry: MetricsRegistry, context: string): Record<string, unknown> {
  return registry
    .list()
    .find((b) => b.tags.context === context)!
    .read();
}

describe('LastEvent and SourceEventPosition on the streaming bean', () => {
  const keySchema = SchemaBuilder.struct()
    .name('srv.inv.items.Key')
    .field('id', Schemas.INT32)
    .field('code', Schemas.STRING)
    .field('raw', Schemas.OPTIONAL_BYTES)
    .build();

  it('are null and {} before the first event, then describe the last change like EventFormatter', () => {
    const registry = new MetricsRegistry();
    const stats = new StreamingStats();
    registerStreamingMetrics(metricsInto(registry), 'mysql', 'srv', stats, () => []);
    expect(bean(registry, 'streaming').LastEvent).toBeNull();
    expect(bean(registry, 'streaming').SourceEventPosition).toEqual({});

    stats.change('c', Date.now());
    stats.describe(
      { file: 'mysql-bin.000003', pos: '1234', row: '0' },
      new Struct(keySchema)
        .put('id', 7)
        .put('code', 'a"b')
        .put('raw', Buffer.from([1, 255])),
    );
    stats.change('u', Date.now());
    stats.describe(
      { file: 'mysql-bin.000003', pos: '1300', row: '2' },
      new Struct(keySchema).put('id', 8).put('code', 'x').put('raw', null),
    );
    const attrs = bean(registry, 'streaming');
    expect(attrs.SourceEventPosition).toEqual({ file: 'mysql-bin.000003', pos: '1300', row: '2' });
    expect(attrs.LastEvent).toBe(
      'position: {file: mysql-bin.000003, pos: 1300, row: 2}, key: {"id" : 8, "code" : "x", "raw" : null}',
    );

    stats.describe(
      { lsn: '24023128' },
      new Struct(keySchema)
        .put('id', 7)
        .put('code', 'a"b')
        .put('raw', Buffer.from([1, 255])),
    );
    expect(bean(registry, 'streaming').LastEvent).toBe(
      'position: {lsn: 24023128}, key: {"id" : 7, "code" : "a\\"b", "raw" : [1, -1]}',
    );
    // A keyless table: EventFormatter leaves the key out.
    stats.describe({ lsn: '24023200' }, null);
    expect(bean(registry, 'streaming').LastEvent).toBe('position: {lsn: 24023200}');
  });

  it('are readable over Jolokia but never become Prometheus series', () => {
    const registry = new MetricsRegistry();
    const stats = new StreamingStats();
    registerStreamingMetrics(metricsInto(registry), 'postgres', 'srv', stats, () => []);
    stats.change('c', Date.now());
    stats.describe({ lsn: '24023128' }, new Struct(keySchema).put('id', 1).put('code', 'k'));
    const read = handleJolokia(registry, {
      type: 'read',
      mbean: 'debezium.postgres:type=connector-metrics,context=streaming,server=srv',
      attribute: ['LastEvent', 'SourceEventPosition'],
    });
    expect(read.status).toBe(200);
    expect(read.value).toEqual({
      LastEvent: 'position: {lsn: 24023128}, key: {"id" : 1, "code" : "k", "raw" : null}',
      SourceEventPosition: { lsn: '24023128' },
    });
    const inner = handleJolokia(registry, {
      type: 'read',
      mbean: 'debezium.postgres:type=connector-metrics,context=streaming,server=srv',
      attribute: 'SourceEventPosition',
      path: 'lsn',
    });
    expect(inner.value).toBe('24023128');

    const text = registry.toPrometheus();
    expect(text).toContain(
      'debezium_metrics_TotalNumberOfEventsSeen{plugin="postgres",context="streaming",name="srv"} 1',
    );
    expect(text).toContain('debezium_metrics_MilliSecondsSinceLastEvent{');
    expect(text).not.toContain('debezium_metrics_LastEvent');
    expect(text).not.toContain('SourceEventPosition');
    expect(text).not.toContain('24023128');
  });
});

describe('incremental-snapshot chunk attributes on the snapshot bean', () => {
  function progressWith(chunk: SnapshotProgress['chunk']): SnapshotProgress {
    return {
      phase: 'incremental',
      tablesTotal: 1,
      tablesDone: 0,
      rowsScanned: 0,
      rowsEstimated: null,
      currentTable: 'inv.items',
      tables: [],
      chunk,
    };
  }

  it("follow AbstractIncrementalSnapshotChangeEventSource: the table's first chunk sets TableFrom/TableTo, later chunks keep them, the table's end clears all", () => {
    const registry = new MetricsRegistry();
    let progress = progressWith(undefined);
    registerSnapshotMetrics(
      metricsInto(registry),
      'mysql',
      'srv',
      () => progress,
      () => ({ startedAt: null, endedAt: null }),
    );
    const chunkAttrs = (): Record<string, unknown> => {
      const a = bean(registry, 'snapshot');
      return {
        ChunkId: a.ChunkId,
        ChunkFrom: a.ChunkFrom,
        ChunkTo: a.ChunkTo,
        TableFrom: a.TableFrom,
        TableTo: a.TableTo,
      };
    };
    expect(chunkAttrs()).toEqual({ ChunkId: null, ChunkFrom: null, ChunkTo: null, TableFrom: null, TableTo: null });
    expect(bean(registry, 'snapshot').TableChunkCounts).toEqual({});
    expect(bean(registry, 'snapshot').TableChunksCompletedCounts).toEqual({});

    const first = nextChunk(null, 'c-1', ['1', 'a'], ['100', 'z'], true, ['250', 'q']);
    progress = progressWith(first);
    expect(chunkAttrs()).toEqual({
      ChunkId: 'c-1',
      ChunkFrom: '[1, a]',
      ChunkTo: '[100, z]',
      TableFrom: '[1, a]',
      TableTo: '[250, q]',
    });

    const second = nextChunk(first, 'c-2', ['101', 'a'], ['200', 'b'], false, ['250', 'q']);
    progress = progressWith(second);
    expect(chunkAttrs()).toEqual({
      ChunkId: 'c-2',
      ChunkFrom: '[101, a]',
      ChunkTo: '[200, b]',
      TableFrom: '[1, a]',
      TableTo: '[250, q]',
    });

    progress = progressWith(null);
    expect(chunkAttrs()).toEqual({ ChunkId: null, ChunkFrom: null, ChunkTo: null, TableFrom: null, TableTo: null });

    progress = progressWith(second);
    const text = registry.toPrometheus();
    expect(text).not.toMatch(/Chunk(?:Id|From|To)|Table(?:From|To)|TableChunk/);
  });
});
