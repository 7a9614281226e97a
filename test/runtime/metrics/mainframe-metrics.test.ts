/**
 * The mainframe file source's Debezium-style snapshot and streaming beans
 * (connectors/mainframe/source/metrics.ts): the records present when a file is first seen are its
 * snapshot, appended ones stream, with lag, counts and erroneous records as Debezium names them.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../runtime/logging.ts';
import type { SourcePartition, SourceRecord } from '../../../runtime/data/records.ts';
import type { MetricValue } from '../../../runtime/spi/metrics.ts';
import type { SourceTaskContext } from '../../../runtime/spi/source.ts';
import { MBean, MetricsRegistry } from '../../../runtime/metrics/registry.ts';
import { encodeText, vbBlock } from '../../../connectors/mainframe/testing.ts';
import { MainframeFileSourceTask } from '../../../connectors/mainframe/source/mainframe-source-task.ts';

function context(registry: MetricsRegistry): SourceTaskContext {
  return {
    connectorName: 'mf',
    taskId: 0,
    logger: silentLogger,
    signal: new AbortController().signal,
    configs: () => ({}),
    offsetStorageReader: { offset: () => null, offsets: (ps: SourcePartition[]) => new Map(ps.map((p) => [p, null])) },
    metrics: {
      register(
        domain: string,
        type: string,
        tags: Record<string, string>,
        attributes: Record<string, () => MetricValue>,
      ) {
        const bean = new MBean(type, tags, domain);
        for (const [k, read] of Object.entries(attributes)) bean.define(k, read);
        registry.register(bean);
      },
    },
  };
}

async function drain(task: MainframeFileSourceTask): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (;;) {
    const batch = await task.poll();
    if (!batch || batch.length === 0) return out;
    out.push(...batch);
  }
}

const block = (codes: string[]) => vbBlock(codes.map((s) => encodeText(s, 3)));

describe('mainframe source metrics', () => {
  it('snapshot, streaming with lag, and erroneous records', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mf-metrics-'));
    const file = path.join(dir, 'a.vb');
    fs.writeFileSync(file, Buffer.concat([block(['AAA', 'BBB', 'CCC'])]));
    const registry = new MetricsRegistry();
    const task = new MainframeFileSourceTask();
    task.initialize(context(registry));
    task.start({
      topic: 't',
      'input.path': file,
      'copybook.contents': '01 R.\n 05 CODE PIC X(3).',
      'copybook.format': 'free',
      'record.format': 'VB',
      'poll.interval.ms': '10',
      'batch.size': '100',
    });
    const read = (ctx: string) =>
      registry
        .list()
        .find((b) => b.domain === 'debezium.mainframe' && b.tags.context === ctx)!
        .read();
    expect(read('snapshot')).toMatchObject({ SnapshotSkipped: true, TotalNumberOfEventsSeen: 0 });

    expect(await drain(task)).toHaveLength(3);
    expect(read('snapshot')).toMatchObject({
      TotalTableCount: 1,
      RemainingTableCount: 0,
      SnapshotRunning: false,
      SnapshotCompleted: true,
      TotalNumberOfEventsSeen: 3,
      RowsScanned: { [file]: 3 },
      QueueTotalCapacity: 100,
      QueueRemainingCapacity: 100,
      NumberOfErroneousEvents: 0,
    });
    expect(read('streaming')).toMatchObject({
      Connected: true,
      TotalNumberOfEventsSeen: 0,
      MilliSecondsBehindSource: -1,
      MilliSecondsBehindSourceP50: null,
    });

    // Appended 1.5 s after the file last changed: the records are read at least that far behind their file.
    fs.utimesSync(file, new Date(Date.now() - 1500), new Date(Date.now() - 1500));
    const mtime = fs.statSync(file).mtimeMs;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, block(['DDD', 'EEE']), 0, undefined, fs.fstatSync(fd).size);
    fs.closeSync(fd);
    fs.utimesSync(file, new Date(mtime), new Date(mtime));
    expect(await drain(task)).toHaveLength(2);
    const s = read('streaming');
    expect(s).toMatchObject({ TotalNumberOfEventsSeen: 2, TotalNumberOfCreateEventsSeen: 2 });
    expect(s.MilliSecondsBehindSource as number).toBeGreaterThanOrEqual(1500);
    expect(s.MilliSecondsBehindSourceMaxValue as number).toBeGreaterThanOrEqual(1500);
    expect(s.MilliSecondsSinceLastEvent as number).toBeGreaterThanOrEqual(0);
    expect(registry.toPrometheus()).toMatch(
      /debezium_metrics_TotalNumberOfEventsSeen\{plugin="mainframe",context="streaming",name="mf"\} 2/,
    );

    // A record the framer cannot read is counted before the task fails on it.
    const bad = fs.openSync(file, 'r+');
    fs.writeSync(bad, Buffer.from([0x00, 0x02, 0x00, 0x00]), 0, undefined, fs.fstatSync(bad).size);
    fs.closeSync(bad);
    await expect(drain(task)).rejects.toThrow(/Cannot frame records/);
    expect(read('streaming').NumberOfErroneousEvents).toBe(1);
    task.stop();
    expect(read('streaming').Connected).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
