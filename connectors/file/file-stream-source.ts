/**
 * FileStreamSourceConnector with Kafka Connect's class name and keys (`file`, `topic`,
 * `batch.size`): each line becomes a string record; source partition `{"filename": <file>}`,
 * offset `{"position": <byte offset after the line>}`. Without `file` it reads stdin (no offsets).
 * Lines are read from a byte position so a restart resumes exactly after the last committed line.
 * A file truncated or replaced under the task (logrotate's copytruncate or create) is noticed —
 * size below the position, another inode, or the bytes before the position changed — and read
 * again from its start, with a warning. The file must lie inside the worker's `file.allowed.paths`.
 */
import fs from 'node:fs';
import { ConfigDef, ParsedConfig, Validators, type ConfigValue } from '../../sdk/config.ts';
import { SourceRecord, type SourceOffset, type SourcePartition, Schemas } from '../../sdk/data.ts';
import { alterFileSourceOffsets } from './file-source-offsets.ts';
import { ConnectException } from '../../sdk/errors.ts';
import type { SourceConnector, WorkerContext, SourceTask, SourceTaskContext } from '../../sdk/spi.ts';
import { confinedPath, fileAccessError } from './file-access.ts';
import { sleep } from '../../sdk/internal/worker-support.ts';

export const FILE_SOURCE_CONFIG = new ConfigDef()
  .define({
    name: 'file',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Source filename. If not specified, the standard input will be used',
  })
  .define({
    name: 'topic',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The topic to publish data to',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 2000,
    importance: 'LOW',
    documentation: 'The maximum number of records the source task can read from the file each time it is polled',
    validator: Validators.atLeast(1),
  });

const VERSION = '1.0.0';

export class FileStreamSourceConnector implements SourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};

  version(): string {
    return VERSION;
  }
  config(): ConfigDef {
    return FILE_SOURCE_CONFIG;
  }

  validate(props: Record<string, string>, worker?: WorkerContext): ConfigValue[] {
    const error = props.file ? fileAccessError(props.file, worker?.fileAllowedPaths) : null;
    return error
      ? [{ name: 'file', value: props.file, recommendedValues: [], errorMessages: [error], visible: true }]
      : [];
  }

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

  createTask(): SourceTask {
    return new FileStreamSourceTask();
  }
  stop(): void {}
  exactlyOnceSupport(props: Record<string, string>): 'SUPPORTED' | 'UNSUPPORTED' {
    return props.file ? 'SUPPORTED' : 'UNSUPPORTED';
  }
  alterOffsets(props: Record<string, string>, offsets: Map<SourcePartition, SourceOffset | null>): boolean {
    return alterFileSourceOffsets(props, offsets);
  }
}

const READ_CHUNK = 1 << 20;
/** How many of the last bytes read are kept to notice a file rewritten under the reader. */
const FINGERPRINT = 256;

export class FileStreamSourceTask implements SourceTask {
  private context!: SourceTaskContext;
  private filename: string | null = null;
  /** The confined real path that is opened. */
  private realFile: string | null = null;
  /** Identity of the open file (dev:ino), to notice it being replaced. */
  private identity: string | null = null;
  /** The last bytes read (ending at position + pending.length), to notice the file being rewritten. */
  private fingerprint = Buffer.alloc(0);
  private topic = '';
  private batchSize = 2000;
  private fd: number | null = null;
  private position = 0;
  private pending = Buffer.alloc(0);
  private readonly chunk = Buffer.allocUnsafe(READ_CHUNK);

  version(): string {
    return VERSION;
  }
  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  start(props: Record<string, string>): void {
    const c = new ParsedConfig(FILE_SOURCE_CONFIG, props);
    this.filename = c.getOptionalString('file');
    this.topic = c.getString('topic');
    this.batchSize = c.getInt('batch.size');
    if (this.filename) {
      try {
        this.realFile = confinedPath(this.filename, this.context.worker?.fileAllowedPaths);
      } catch (err) {
        throw new ConnectException((err as Error).message);
      }
      const offset = this.context.offsetStorageReader.offset({ filename: this.filename });
      if (offset) {
        const pos = offset.position;
        if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 0) {
          throw new ConnectException(
            `Offset position is the incorrect type for ${this.filename}: ${JSON.stringify(offset)}; reset it with PATCH /connectors/<name>/offsets`,
          );
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
      // Symlinks are resolved again at open: the file must still be inside file.allowed.paths.
      const real = confinedPath(this.filename, this.context.worker?.fileAllowedPaths);
      if (real !== this.realFile)
        throw new ConnectException(
          `The file ${this.filename} now resolves to ${real}, not ${this.realFile}; restart the task to read it`,
        );
      this.fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      const st = fs.fstatSync(this.fd);
      this.identity = `${st.dev}:${st.ino}`;
      if (this.position > 0 && !this.resumesAtLineStart(st.size))
        this.restartFromBeginning(
          `it is shorter than the committed position ${this.position} or no longer has a line ending there`,
        );
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
        if (this.filename) this.detectRotation();
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
        this.pending =
          this.pending.length === 0
            ? Buffer.from(this.chunk.subarray(0, n))
            : Buffer.concat([this.pending, this.chunk.subarray(0, n)]);
        if (this.filename)
          this.fingerprint = Buffer.from(
            Buffer.concat([this.fingerprint, this.chunk.subarray(Math.max(0, n - FINGERPRINT), n)]).subarray(
              -FINGERPRINT,
            ),
          );
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

  /** After a restart from a committed position: the file is at least that long and a line ended just before it. */
  private resumesAtLineStart(size: number): boolean {
    if (size < this.position) return false;
    const b = Buffer.alloc(1);
    return fs.readSync(this.fd!, b, 0, 1, this.position - 1) === 1 && b[0] === 0x0a;
  }

  /**
   * The file at the path is no longer what was being read: truncated (size below what was read),
   * replaced (another inode: finish nothing of the old one, it was read to its end before the next
   * poll started here), or rewritten in place (the last bytes read differ).
   */
  private detectRotation(): void {
    const readEnd = this.position + this.pending.length;
    let reason: string | null = null;
    let size: number;
    try {
      const st = fs.statSync(this.realFile!);
      size = st.size;
      if (`${st.dev}:${st.ino}` !== this.identity) reason = 'it was replaced by another file (rotated)';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // moved away, a new one not there yet: keep reading the old one
      throw err;
    }
    if (!reason && fs.fstatSync(this.fd!).size < readEnd)
      reason = `it was truncated to ${Math.min(size, fs.fstatSync(this.fd!).size)} bytes, below the read position ${readEnd}`;
    if (!reason && this.fingerprint.length > 0) {
      const now = Buffer.alloc(this.fingerprint.length);
      const n = fs.readSync(this.fd!, now, 0, now.length, readEnd - this.fingerprint.length);
      if (n !== now.length || !now.equals(this.fingerprint))
        reason = 'its content before the read position changed (truncated and written again)';
    }
    if (!reason) return;
    // A replaced file: whatever the old one still had after the read position is read first.
    if (reason.startsWith('it was replaced') && this.hasUnreadData()) return;
    this.restartFromBeginning(reason);
    if (reason.startsWith('it was replaced')) {
      this.stop();
      this.openIfNeeded();
    }
  }

  private hasUnreadData(): boolean {
    return fs.fstatSync(this.fd!).size > this.position + this.pending.length;
  }

  private restartFromBeginning(reason: string): void {
    this.context.logger.warn(
      { file: this.filename, position: this.position },
      `File ${this.filename}: ${reason}; reading it again from the start`,
    );
    this.position = 0;
    this.pending = Buffer.alloc(0);
    this.fingerprint = Buffer.alloc(0);
  }

  stop(): void {
    if (this.fd !== null && this.fd !== 0) fs.closeSync(this.fd);
    this.fd = null;
  }
}
