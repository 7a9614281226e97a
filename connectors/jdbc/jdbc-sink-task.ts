/**
 * The JDBC sink task. put() maps the records, writes them in one transaction and returns after
 * COMMIT, so flush/preCommit have nothing left to make durable. Records that cannot be mapped or
 * written go to the errant record reporter when errors.tolerance/DLQ is configured, else fail the
 * task with the reason. Lost connections and deadlocks are retried (max.retries,
 * retry.backoff.ms) by throwing RetriableException so the worker redelivers the same batch.
 */
import { ConnectException, RetriableException } from '../../sdk/errors.ts';
import type { SinkRecord } from '../../sdk/data.ts';
import type { SinkTask, SinkTaskContext } from '../../sdk/spi.ts';
import { BatchWriter } from './batch-writer.ts';
import { resolveSettings, type JdbcSinkSettings } from './config.ts';
import type { Dialect } from './dialect.ts';
import { openDialect } from './dialects/index.ts';
import { RecordMapper, RecordMappingError, type Change } from './record-mapper.ts';
import { redact } from './jdbc-url.ts';

export const JDBC_SINK_VERSION = '1.0.0';

export class JdbcSinkTask implements SinkTask {
  private context!: SinkTaskContext;
  private settings!: JdbcSinkSettings;
  private dialect!: Dialect;
  private mapper!: RecordMapper;
  private writer!: BatchWriter;
  private connected = false;
  private retriesLeft = 0;

  version(): string {
    return JDBC_SINK_VERSION;
  }
  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  async start(props: Record<string, string>): Promise<void> {
    this.settings = resolveSettings(props);
    this.dialect = openDialect(this.settings, this.context?.logger);
    this.mapper = new RecordMapper(this.settings);
    this.writer = new BatchWriter(this.dialect, this.settings);
    this.retriesLeft = this.settings.maxRetries;
    await this.ensureConnected();
  }

  private async ensureConnected(): Promise<void> {
    if (this.connected) return;
    const s = this.settings;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dialect.connect();
        this.connected = true;
        this.context?.logger.info(
          {
            url: redact(`jdbc:${s.url.kind}://${s.url.host}:${s.url.port}/${s.url.database}`),
            dialect: this.dialect.name,
          },
          'JDBC sink connected',
        );
        return;
      } catch (err) {
        await this.dialect.close();
        if (attempt >= s.connectionAttempts || !this.dialect.isTransient(err)) throw err;
        await new Promise((r) => setTimeout(r, s.connectionBackoffMs));
      }
    }
  }

  async put(records: SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const reporter = this.context.errantRecordReporter();
    const changes: Change[] = [];
    for (const r of records) {
      try {
        const ch = this.mapper.map(r);
        if (!ch) continue;
        this.writer.checkPlan(ch);
        changes.push(ch);
      } catch (err) {
        if (!(err instanceof RecordMappingError) || !reporter) throw err;
        await reporter.report(r, err);
      }
    }
    if (changes.length === 0) return;
    try {
      await this.ensureConnected();
      await this.writer.write(changes);
    } catch (err) {
      await this.handleFailure(err, changes);
    }
    this.retriesLeft = this.settings.maxRetries;
  }

  private async handleFailure(err: unknown, changes: Change[]): Promise<void> {
    const reporter = this.context.errantRecordReporter();
    if (this.dialect.isTransient(err)) {
      this.writer.reset();
      this.connected = false;
      await this.dialect.close();
      if (this.retriesLeft > 0) {
        this.retriesLeft--;
        this.context.logger.warn(
          { err: (err as Error).message, retriesLeft: this.retriesLeft },
          'JDBC write failed; the batch will be redelivered',
        );
        this.context.timeout(this.settings.retryBackoffMs);
        throw new RetriableException(
          `JDBC write failed, retrying (${this.retriesLeft} retries left): ${(err as Error).message}`,
          { cause: err },
        );
      }
      throw new ConnectException(
        `JDBC write failed after ${this.settings.maxRetries} retries: ${(err as Error).message}`,
        { cause: err },
      );
    }
    this.writer.reset();
    if (!reporter) {
      if (err instanceof RecordMappingError) throw err;
      throw new ConnectException(
        `JDBC sink could not write ${describeRange(changes)}: ${(err as Error).message}. Fix the data or the table, or set errors.tolerance=all with a dead letter queue to skip such records`,
        { cause: err },
      );
    }
    // Isolate the failing records: apply the changes one by one, in order, each in its own transaction.
    for (const ch of changes) {
      try {
        await this.writer.write([ch]);
      } catch (e) {
        if (this.dialect.isTransient(e)) return this.handleFailure(e, changes);
        this.writer.reset();
        const r = ch.record;
        await reporter.report(
          r,
          e instanceof RecordMappingError
            ? e
            : new ConnectException(
                `JDBC sink cannot write the record at topic=${r.topic} partition=${r.kafkaPartition} offset=${r.kafkaOffset}: ${(e as Error).message}`,
                { cause: e },
              ),
        );
      }
    }
  }

  stop(): Promise<void> {
    this.connected = false;
    return this.dialect?.close() ?? Promise.resolve();
  }
}

function describeRange(changes: Change[]): string {
  const byTp = new Map<string, [number, number]>();
  for (const c of changes) {
    const k = `${c.record.topic}-${c.record.kafkaPartition}`;
    const r = byTp.get(k);
    if (!r) byTp.set(k, [c.record.kafkaOffset, c.record.kafkaOffset]);
    else byTp.set(k, [Math.min(r[0], c.record.kafkaOffset), Math.max(r[1], c.record.kafkaOffset)]);
  }
  return `${changes.length} records (${[...byTp].map(([k, [a, b]]) => `${k} offsets ${a}..${b}`).join(', ')})`;
}
