/**
 * FileStreamSourceConnector with Kafka Connect's class name and keys (`file`, `topic`,
 * `batch.size`): each line becomes a string record; source partition `{"filename": <file>}`,
 * offset `{"position": <byte offset after the line>}`. Without `file` it reads stdin (no offsets).
 * Lines are read from a byte position so a restart resumes exactly after the last committed line.
 */
import fs from 'node:fs';
import { ConfigDef, ParsedConfig, Validators } from '../../runtime/config/config-def.ts';
import { SourceRecord, type SourceOffset, type SourcePartition } from '../../runtime/data/records.ts';
import { alterFileSourceOffsets } from './file-source-offsets.ts';
import { Schemas } from '../../runtime/data/schema.ts';
import { ConnectException } from '../../runtime/errors.ts';
import type { SourceConnector } from '../../runtime/spi/connector.ts';
import type { SourceTask, SourceTaskContext } from '../../runtime/spi/source.ts';
import { sleep } from '../../runtime/util/sleep.ts';

export const FILE_SOURCE_CONFIG = new ConfigDef()
  .define({ name: 'file', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Source filename. If not specified, the standard input will be used' })
  .define({ name: 'topic', type: 'STRING', importance: 'HIGH', documentation: 'The topic to publish data to', validator: Validators.nonEmptyString() })
  .define({ name: 'batch.size', type: 'INT', defaultValue: 2000, importance: 'LOW', documentation: 'The maximum number of records the source task can read from the file each time it is polled', validator: Validators.atLeast(1) });

const VERSION = '1.0.0';

export class FileStreamSourceConnector implements SourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};

  version(): string { return VERSION; }
  config(): ConfigDef { return FILE_SOURCE_CONFIG; }

  start(props: Record<string, string>): void {
    new ParsedConfig(FILE_SOURCE_CONFIG, props);
    this.props = { ...props };
  }

  taskConfigs(_maxTasks: number): Array<Record<string, string>> {
    // Only one input file, so only one task, as in Kafka Connect.
    const c: Record<string, string> = { topic: this.props.topic, 'batch.size': this.props['batch.size'] ?? '2000' };
    if (this.props.file) c.file = this.props.file;
    return [c];
  }

  createTask(): SourceTask { return new FileStreamSourceTask(); }
  stop(): void {}
  exactlyOnceSupport(props: Record<string, string>): 'SUPPORTED' | 'UNSUPPORTED' {
    return props.file ? 'SUPPORTED' : 'UNSUPPORTED';
  }
  alterOffsets(props: Record<string, string>, offsets: Map<SourcePartition, SourceOffset | null>): boolean { return alterFileSourceOffsets(props, offsets); }
}

const READ_CHUNK = 1 << 20;

export class FileStreamSourceTask implements SourceTask {
  private context!: SourceTaskContext;
  private filename: string | null = null;
  private topic = '';
  private batchSize = 2000;
  private fd: number | null = null;
  private position = 0;
  private pending = Buffer.alloc(0);
  private readonly chunk = Buffer.allocUnsafe(READ_CHUNK);

  version(): string { return VERSION; }
  initialize(context: SourceTaskContext): void { this.context = context; }

  start(props: Record<string, string>): void {
    const c = new ParsedConfig(FILE_SOURCE_CONFIG, props);
    this.filename = c.getOptionalString('file');
    this.topic = c.getString('topic');
    this.batchSize = c.getInt('batch.size');
    if (this.filename) {
      const offset = this.context.offsetStorageReader.offset({ filename: this.filename });
      if (offset) {
        const pos = offset.position;
        if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 0) {
          throw new ConnectException(`Offset position is the incorrect type for ${this.filename}: ${JSON.stringify(offset)}; reset it with PATCH /connectors/<name>/offsets`);
        }
        this.position = pos;
      }
    }
  }

  private openIfNeeded(): boolean {
    if (this.fd !== null) return true;
    if (!this.filename) {
      this.fd = 0;
      return true;
    }
    try {
      this.fd = fs.openSync(this.filename, 'r');
      this.context.logger.debug({ file: this.filename, position: this.position }, 'Opened file for reading');
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false; // not there yet: keep waiting, as Kafka Connect does
      throw new ConnectException(`Couldn't open file ${this.filename}: ${(err as Error).message}`, { cause: err });
    }
  }

  async poll(): Promise<SourceRecord[] | null> {
    const deadline = Date.now() + 1000;
    while (!this.context.signal.aborted) {
      if (this.openIfNeeded()) {
        const records = this.readLines();
        if (records.length > 0) return records;
      }
      if (Date.now() >= deadline) return null;
      await sleep(50, this.context.signal);
    }
    return null;
  }

  private readLines(): SourceRecord[] {
    const records: SourceRecord[] = [];
    const partition = this.filename ? { filename: this.filename } : undefined;
    let lineStart = this.position;
    while (records.length < this.batchSize) {
      let nl = this.pending.indexOf(0x0a);
      if (nl < 0) {
        const readAt = this.filename ? this.position + this.pending.length : null;
        const n = fs.readSync(this.fd!, this.chunk, 0, READ_CHUNK, readAt);
        if (n === 0) break;
        this.pending = this.pending.length === 0 ? Buffer.from(this.chunk.subarray(0, n)) : Buffer.concat([this.pending, this.chunk.subarray(0, n)]);
        continue;
      }
      let end = nl;
      if (end > 0 && this.pending[end - 1] === 0x0d) end--;
      const line = this.pending.toString('utf8', 0, end);
      this.pending = this.pending.subarray(nl + 1);
      lineStart += nl + 1;
      this.position = lineStart;
      nl = -1;
      records.push(
        new SourceRecord({
          topic: this.topic,
          sourcePartition: partition,
          sourceOffset: partition ? { position: this.position } : undefined,
          valueSchema: Schemas.STRING,
          value: line,
          timestamp: Date.now(),
        }),
      );
    }
    return records;
  }

  stop(): void {
    if (this.fd !== null && this.fd !== 0) fs.closeSync(this.fd);
    this.fd = null;
  }
}
