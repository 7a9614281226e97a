/**
 * Runs a SourceTask: poll → transforms → converters → transport. Offsets become committable only
 * once the records they cover are durable. On the embedded log, records and offsets commit in one
 * transaction; on transports without atomic writes, offsets are flushed every
 * offset.flush.interval.ms for records already acknowledged (Kafka Connect's at-least-once).
 */
import type { SourceRecord, SourcePartition, SourceOffset } from '../data/records.ts';
import type { Converter, HeaderConverter } from '../spi/converter.ts';
import type { SourceTask } from '../spi/source.ts';
import type { Logger } from '../logging.ts';
import type { RecordSender, OutgoingRecord, StoreWrite, LogHeader } from '../transport/types.ts';
import type { TransformationChain } from './transformation-chain.ts';
import type { ToleranceOperator } from './error-handling.ts';
import type { SourceTaskMetrics, TaskMetrics } from './task-metrics.ts';
import { offsetWrite, type SourceOffsetStore, canonicalJson } from './offset-store.ts';
import { WorkerTask, type TaskStateListener, sleep } from './worker-task.ts';
import type { TaskId } from './task-state.ts';

export interface SourceTaskDeps {
  task: SourceTask;
  taskConfig: Record<string, string>;
  chain: TransformationChain<SourceRecord>;
  keyConverter: Converter;
  valueConverter: Converter;
  headerConverter: HeaderConverter;
  sender: RecordSender;
  offsets: SourceOffsetStore;
  tolerance: ToleranceOperator;
  offsetFlushIntervalMs: number;
  metrics: { task: TaskMetrics; source: SourceTaskMetrics };
  onTopicUsed: (topic: string) => void;
}

export class WorkerSourceTask extends WorkerTask {
  private pendingOffsets = new Map<string, { partition: SourcePartition; offset: SourceOffset }>();
  private lastFlush = Date.now();
  private uncommittedSinceFlush = false;

  constructor(id: TaskId, logger: Logger, listener: TaskStateListener, private readonly deps: SourceTaskDeps) {
    super(id, logger, listener);
  }

  protected async initializeAndStart(): Promise<void> {
    const { task, taskConfig, offsets, sender } = this.deps;
    // Exactly-once: initialising the transactional producer fences older instances of this task and
    // completes their pending transaction, so the offsets read next include everything they committed.
    if (sender.init) {
      await sender.init();
      await offsets.sync();
    }
    task.initialize({
      connectorName: this.id.connector,
      taskId: this.id.task,
      logger: this.logger,
      offsetStorageReader: offsets.reader(this.id.connector),
      signal: this.abort.signal,
      configs: () => ({ ...taskConfig }),
    });
    await task.start({ ...taskConfig });
  }

  protected async execute(): Promise<void> {
    const { task, metrics } = this.deps;
    while (!this.stopping) {
      if (this.isPaused) {
        await this.maybeFlushOffsets(true);
        await this.awaitUnpaused();
        continue;
      }
      const t0 = Date.now();
      const batch = await task.poll();
      if (this.stopping && (!batch || batch.length === 0)) break;
      if (!batch || batch.length === 0) {
        await this.maybeFlushOffsets(false);
        await sleep(5, this.abort.signal);
        continue;
      }
      metrics.source.pollTime.record(Date.now() - t0);
      metrics.source.polled.record(batch.length);
      metrics.task.batchSize.record(batch.length);
      await this.sendBatch(batch);
      await this.maybeFlushOffsets(false);
    }
    await this.maybeFlushOffsets(true);
  }

  private async sendBatch(batch: SourceRecord[]): Promise<void> {
    const { chain, tolerance, sender, metrics } = this.deps;
    const outgoing: OutgoingRecord[] = [];
    const sent: SourceRecord[] = [];
    const filtered: SourceRecord[] = [];
    metrics.source.active = batch.length;
    metrics.source.activeMax = Math.max(metrics.source.activeMax, batch.length);
    metrics.source.activeCount.record(batch.length);
    for (const record of batch) {
      this.trackOffset(record);
      const t = await tolerance.execute('TRANSFORMATION', 'transforms', () => chain.apply(record), () => describe(record));
      if (!t.ok || t.value === null) {
        filtered.push(record);
        continue;
      }
      const out = await this.convert(t.value);
      if (out === null) {
        filtered.push(record);
        continue;
      }
      outgoing.push(out);
      sent.push(record);
    }
    const writes = sender.atomicStoreWrites ? this.drainOffsetWrites() : undefined;
    const delivered = await sender.send(outgoing, writes);
    if (writes) this.uncommittedSinceFlush = true;
    metrics.source.written.record(outgoing.length);
    metrics.source.active = 0;
    for (const topic of new Set(outgoing.map((o) => o.topic))) this.deps.onTopicUsed(topic);
    if (this.deps.task.commitRecord) {
      for (let i = 0; i < sent.length; i++) await this.deps.task.commitRecord(sent[i], delivered[i]);
      for (const r of filtered) await this.deps.task.commitRecord(r, null);
    }
  }

  private async convert(record: SourceRecord): Promise<OutgoingRecord | null> {
    const { keyConverter, valueConverter, headerConverter, tolerance } = this.deps;
    const k = await tolerance.execute('KEY_CONVERTER', className(keyConverter), () => keyConverter.fromConnectData(record.topic, record.keySchema, record.key, record.headers), () => describe(record));
    if (!k.ok) return null;
    const v = await tolerance.execute('VALUE_CONVERTER', className(valueConverter), () => valueConverter.fromConnectData(record.topic, record.valueSchema, record.value, record.headers), () => describe(record));
    if (!v.ok) return null;
    const h = await tolerance.execute('HEADER_CONVERTER', className(headerConverter), () => {
      const headers: LogHeader[] = [];
      for (const hd of record.headers) headers.push({ key: hd.key, value: headerConverter.fromConnectHeader(record.topic, hd.key, hd.schema, hd.value) });
      return headers;
    });
    if (!h.ok) return null;
    return { topic: record.topic, partition: record.kafkaPartition, key: k.value, value: v.value, timestamp: record.timestamp ?? Date.now(), headers: h.value };
  }

  private trackOffset(record: SourceRecord): void {
    if (!record.sourcePartition || !record.sourceOffset || Object.keys(record.sourceOffset).length === 0) return;
    this.pendingOffsets.set(canonicalJson(record.sourcePartition), { partition: record.sourcePartition, offset: record.sourceOffset });
  }

  private drainOffsetWrites(): StoreWrite[] {
    const writes = [...this.pendingOffsets.values()].map((o) => offsetWrite(this.id.connector, o.partition, o.offset));
    this.pendingOffsets.clear();
    return writes;
  }

  /** Non-atomic transports: write acknowledged offsets every interval; then let the task commit upstream. */
  private async maybeFlushOffsets(force: boolean): Promise<void> {
    const due = force || Date.now() - this.lastFlush >= this.deps.offsetFlushIntervalMs;
    if (!due) return;
    const hasPending = this.pendingOffsets.size > 0 || this.uncommittedSinceFlush;
    this.lastFlush = Date.now();
    if (!hasPending) return;
    const t0 = Date.now();
    try {
      const writes = this.drainOffsetWrites();
      if (writes.length > 0) await this.deps.offsets.write(writes);
      this.uncommittedSinceFlush = false;
      this.deps.metrics.task.commitSuccess++;
      this.deps.metrics.task.commitTime.record(Date.now() - t0);
      await this.deps.task.commit?.();
    } catch (err) {
      this.deps.metrics.task.commitFailure++;
      this.logger.error({ err: (err as Error).message }, 'Failed to commit source offsets');
      throw err;
    }
  }

  protected async close(): Promise<void> {
    try {
      await this.deps.task.stop();
    } finally {
      this.deps.chain.close();
    }
  }
}

function className(o: object): string {
  return o.constructor?.name ?? 'unknown';
}

function describe(r: SourceRecord): string {
  return `SourceRecord{topic=${r.topic}, partition=${JSON.stringify(r.sourcePartition)}, offset=${JSON.stringify(r.sourceOffset)}}`;
}
