/**
 * SourceTaskHarness: runs one source task in-process as the worker does — initialize, start,
 * poll in a loop, write what it returns to the embedded log, commit the offsets of written records
 * — with a ManualClock for time. Tests feed their fake upstream, poll, and assert the emitted
 * records, the topic contents and the committed offsets; `restart` simulates a graceful restart or
 * a crash (uncommitted records are read again).
 */
import { silentLogger, type Logger } from '../../runtime/logging.ts';
import type { WorkerContext } from '../../runtime/spi/connector.ts';
import { RetriableException } from '../../runtime/errors.ts';
import type { SourceOffset, SourcePartition, SourceRecord } from '../../runtime/data/records.ts';
import type { OffsetStorageReader, RecordMetadata, SourceTask, SourceTaskContext } from '../../runtime/spi/source.ts';
import type { MetricValue } from '../../runtime/spi/metrics.ts';
import type { EmbeddedLog, LogRecord } from '../../runtime/log/embedded-log.ts';
import { ManualClock } from './manual-clock.ts';
import { openTempLog, type TempLog } from './embedded.ts';
import { jsonConverter, type JsonRecord } from './json-records.ts';

/** How SourceTaskHarness.start() runs the task. */
export interface SourceHarnessOptions {
  /** Makes a new task instance (called again on every restart). */
  task: () => SourceTask;
  /** The task config (what the connector's taskConfigs() would return). */
  config: Record<string, string>;
  clock?: ManualClock;
  connectorName?: string;
  taskId?: number;
  logger?: Logger;
  /** Worker settings the task may read (e.g. `fileAllowedPaths` for file-based connectors); default none. */
  worker?: WorkerContext;
  /** JsonConverter schemas.enable for what is written to the log (default true, as the worker's default). */
  schemas?: boolean;
}

const OFFSETS_NS = 'testkit-source-offsets';

/** Runs one source task in-process against the embedded log, as the worker does, with a manual clock (see the file comment). */
export class SourceTaskHarness {
  readonly clock: ManualClock;
  /** Every record the task returned, in order. */
  readonly emitted: SourceRecord[] = [];
  /** poll() calls that ended in a retriable error (the worker logs and polls again). */
  retriableFailures = 0;
  private task!: SourceTask;
  private abort = new AbortController();
  private uncommitted: Array<{ record: SourceRecord; metadata: RecordMetadata }> = [];
  private readonly beans = new Map<string, Record<string, () => MetricValue>>();

  private constructor(
    private readonly opts: SourceHarnessOptions,
    private readonly temp: TempLog,
  ) {
    this.clock = opts.clock ?? new ManualClock();
  }

  /** Opens an embedded log in a temporary directory and starts the task. */
  static async start(opts: SourceHarnessOptions): Promise<SourceTaskHarness> {
    const temp = await openTempLog();
    const h = new SourceTaskHarness(opts, temp);
    try {
      await h.startTask();
    } catch (err) {
      await temp.close();
      throw err;
    }
    return h;
  }

  /** The embedded log the records are written to. */
  get log(): EmbeddedLog {
    return this.temp.log;
  }

  private async startTask(): Promise<void> {
    this.abort = new AbortController();
    this.task = this.opts.task();
    const context: SourceTaskContext & { clock: ManualClock } = {
      connectorName: this.opts.connectorName ?? 'test-connector',
      taskId: this.opts.taskId ?? 0,
      logger: this.opts.logger ?? silentLogger,
      offsetStorageReader: this.offsetReader(),
      worker: this.opts.worker,
      metrics: {
        register: (domain, type, tags, attributes) => {
          this.beans.set(
            [`${domain}:type=${type}`, ...Object.entries(tags).map(([k, v]) => `${k}=${v}`)].join(','),
            attributes,
          );
        },
      },
      signal: this.abort.signal,
      configs: () => ({ ...this.opts.config }),
      clock: this.clock,
    };
    this.task.initialize(context);
    await this.clock.run(Promise.resolve(this.task.start({ ...this.opts.config })));
  }

  private offsetReader(): OffsetStorageReader {
    const read = (p: SourcePartition) => this.committedOffset(p);
    return { offset: read, offsets: (ps) => new Map(ps.map((p) => [p, read(p)])) };
  }

  /** The names of the MBeans the running task registered through context.metrics (`domain:type=…,tag=…`). */
  metricNames(): string[] {
    return [...this.beans.keys()].sort();
  }

  /** The attributes of a registered MBean, read now (as a scrape would), or undefined. */
  metrics(name: string): Record<string, MetricValue> | undefined {
    const bean = this.beans.get(name);
    return bean && Object.fromEntries(Object.entries(bean).map(([k, read]) => [k, read()]));
  }

  /** The last committed offset of a source partition (read from the embedded log), or null. */
  committedOffset(partition: SourcePartition): SourceOffset | null {
    const v = this.log.kvGet(OFFSETS_NS, stableJson(partition));
    return v === undefined ? null : (JSON.parse(v) as SourceOffset);
  }

  /**
   * One poll(), with virtual time advanced through the task's waits; the returned records are
   * written to the log (not yet committed). A retriable error counts in `retriableFailures` and
   * yields no records, as the worker polls again; any other error is thrown.
   */
  async poll(): Promise<SourceRecord[]> {
    let records: SourceRecord[] | null;
    try {
      records = await this.clock.run(this.task.poll());
    } catch (err) {
      if (err instanceof RetriableException || (err as { retriable?: boolean }).retriable === true) {
        this.retriableFailures++;
        return [];
      }
      throw err;
    }
    if (!records || records.length === 0) return [];
    await this.write(records);
    this.emitted.push(...records);
    return records;
  }

  /** Polls until at least `count` records came back (or `maxPolls` polls returned fewer). */
  async pollUntil(count: number, opts: { maxPolls?: number } = {}): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    for (let i = 0; i < (opts.maxPolls ?? 100) && out.length < count; i++) out.push(...(await this.poll()));
    if (out.length < count)
      throw new Error(`Expected ${count} record(s) within ${opts.maxPolls ?? 100} polls, got ${out.length}`);
    return out;
  }

  private async write(records: SourceRecord[]): Promise<void> {
    const converter = jsonConverter(this.opts.schemas ?? true);
    for (const record of records) {
      const key = await converter.fromConnectData(record.topic, record.keySchema, record.key);
      const value = await converter.fromConnectData(record.topic, record.valueSchema, record.value);
      const headers = [...record.headers].map((h) => ({
        key: h.key,
        value: h.value === null ? null : Buffer.from(typeof h.value === 'string' ? h.value : JSON.stringify(h.value)),
      }));
      const partition = record.kafkaPartition ?? 0;
      const timestamp = record.timestamp ?? this.clock.now();
      const [offset] = await this.log.append([
        { topic: record.topic, partition, records: [{ key, value, headers, timestamp }] },
      ]);
      this.uncommitted.push({ record, metadata: { topic: record.topic, partition, offset, timestamp } });
    }
  }

  /** Commits the offsets of every record written so far (as the worker's periodic offset commit), then commitRecord/commit on the task. */
  async commit(): Promise<void> {
    const batch = this.uncommitted;
    this.uncommitted = [];
    const latest = new Map<string, SourceOffset>();
    for (const { record } of batch) latest.set(stableJson(record.sourcePartition), record.sourceOffset);
    if (latest.size)
      await this.log.kvPut(
        [...latest].map(([key, offset]) => ({ namespace: OFFSETS_NS, key, value: JSON.stringify(offset) })),
      );
    for (const { record, metadata } of batch) await this.task.commitRecord?.(record, metadata);
    await this.task.commit?.();
  }

  /**
   * Stops the task and starts a new instance. Graceful (default): offsets are committed first, as on
   * a worker shutdown; `{ crash: true }`: records written since the last commit stay uncommitted, so
   * the new task resumes from the last committed offsets.
   */
  async restart(opts: { crash?: boolean } = {}): Promise<void> {
    if (opts.crash) this.uncommitted = [];
    else await this.commit();
    await this.stopTask();
    await this.startTask();
  }

  private async stopTask(): Promise<void> {
    this.abort.abort();
    await this.clock.run(Promise.resolve(this.task.stop()));
    this.beans.clear();
  }

  /** What a topic holds, decoded with the JsonConverter (key and value as JSON; with schemas, the envelopes). */
  topic(name: string, partition = 0): Array<JsonRecord & { offset: number }> {
    const records: LogRecord[] = [];
    if (!this.log.describeTopic(name)) return [];
    for (let from = this.log.startOffset({ topic: name, partition }); ;) {
      const batch = this.log.read({ topic: name, partition }, from);
      if (batch.length === 0) break;
      records.push(...batch);
      from = batch[batch.length - 1].offset + 1;
    }
    const text = (b: Buffer | null) => (b === null ? null : (JSON.parse(b.toString('utf8')) as unknown));
    return records.map((r) => ({
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      key: text(r.key),
      value: text(r.value),
      timestamp: r.timestamp,
      ...(r.headers.length
        ? { headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value?.toString('utf8') ?? ''])) }
        : {}),
    }));
  }

  /** Stops the task (committing, as a graceful stop) and deletes the log. */
  async close(opts: { commit?: boolean } = {}): Promise<void> {
    try {
      if (opts.commit !== false) await this.commit();
      await this.stopTask();
    } finally {
      await this.temp.close();
    }
  }
}

/** JSON with sorted object keys: one key per source partition whatever the key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
