/**
 * FileStreamSinkConnector with Kafka Connect's class name and keys (`file`, `topics`): writes each
 * record value's string form as a line; flush() fsyncs before the worker commits the consumed
 * offsets. A kill during a large write can leave a torn last line (a write is not atomic against
 * SIGKILL or a full disk): the task cuts the file back to its last newline when it starts, and the
 * records of the cut line come again because their offsets were never committed. The file must
 * lie inside the worker's `file.allowed.paths`.
 */
import fs from 'node:fs';
import { ConfigDef, ParsedConfig, type ConfigValue } from '../../sdk/config.ts';
import { Struct, type SinkRecord } from '../../sdk/data.ts';
import { ConnectException } from '../../sdk/errors.ts';
import type { SinkConnector, WorkerContext, SinkTask, SinkTaskContext } from '../../sdk/spi.ts';
import { confinedPath, fileAccessError } from './file-access.ts';

export const FILE_SINK_CONFIG = new ConfigDef().define({
  name: 'file',
  type: 'STRING',
  defaultValue: null,
  importance: 'HIGH',
  documentation: 'Destination filename. If not specified, the standard output will be used',
});

const VERSION = '1.0.0';

export class FileStreamSinkConnector implements SinkConnector {
  readonly type = 'sink' as const;
  private props: Record<string, string> = {};

  version(): string {
    return VERSION;
  }
  config(): ConfigDef {
    return FILE_SINK_CONFIG;
  }

  validate(props: Record<string, string>, worker?: WorkerContext): ConfigValue[] {
    const error = props.file ? fileAccessError(props.file, worker?.fileAllowedPaths) : null;
    return error
      ? [{ name: 'file', value: props.file, recommendedValues: [], errorMessages: [error], visible: true }]
      : [];
  }

  start(props: Record<string, string>): void {
    new ParsedConfig(FILE_SINK_CONFIG, props);
    this.props = { ...props };
  }

  taskConfigs(maxTasks: number): Array<Record<string, string>> {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask {
    return new FileStreamSinkTask();
  }
  stop(): void {}
}

export function lineOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof Struct) return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v) =>
      typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v,
    );
  return String(value);
}

export class FileStreamSinkTask implements SinkTask {
  private fd: number | null = null;
  private filename: string | null = null;
  private context!: SinkTaskContext;

  version(): string {
    return VERSION;
  }
  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  start(props: Record<string, string>): void {
    this.filename = new ParsedConfig(FILE_SINK_CONFIG, props).getOptionalString('file');
    if (!this.filename) {
      this.fd = 1;
      return;
    }
    let real: string;
    try {
      real = confinedPath(this.filename, this.context.worker?.fileAllowedPaths);
    } catch (err) {
      throw new ConnectException((err as Error).message);
    }
    try {
      // O_NOFOLLOW: the checked path is opened, not a symlink planted there since.
      const { O_RDWR, O_APPEND, O_CREAT, O_NOFOLLOW } = fs.constants;
      this.fd = fs.openSync(real, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW, 0o644);
    } catch (err) {
      throw new ConnectException(
        `Couldn't find or create file '${this.filename}' for FileStreamSinkTask: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const cut = repairTornTail(this.fd);
    if (cut > 0) {
      this.context.logger.warn(
        { file: this.filename, bytes: cut },
        `Cut a torn last line (${cut} bytes after the last newline) left by a crash during a write; its records come again from the last committed offsets`,
      );
    }
  }

  async put(records: SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    let text = '';
    for (const r of records) text += lineOf(r.value) + '\n';
    const buf = Buffer.from(text, 'utf8');
    // A write that fails half-way (a full disk) is cut back, so a retried put() starts on a clean line.
    const start = this.fd! > 2 ? fs.fstatSync(this.fd!).size : -1;
    let written = 0;
    try {
      while (written < buf.length) written += fs.writeSync(this.fd!, buf, written, buf.length - written);
    } catch (err) {
      if (start >= 0 && written > 0) {
        try {
          fs.ftruncateSync(this.fd!, start);
        } catch {
          // the next start cuts the torn line (repairTornTail)
        }
      }
      throw err;
    }
    this.context.logger.trace({ count: records.length }, 'Wrote records');
  }

  flush(): void {
    if (this.fd !== null && this.fd > 2) fs.fsyncSync(this.fd);
  }

  stop(): void {
    if (this.fd !== null && this.fd > 2) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    }
    this.fd = null;
  }
}

/**
 * Cuts the file back to just after its last newline (to empty when it has none) and returns how
 * many bytes were cut: what follows the last newline is a line a crash interrupted.
 */
export function repairTornTail(fd: number): number {
  const size = fs.fstatSync(fd).size;
  if (size === 0) return 0;
  const buf = Buffer.allocUnsafe(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - buf.length);
    const n = fs.readSync(fd, buf, 0, end - start, start);
    const nl = buf.subarray(0, n).lastIndexOf(0x0a);
    if (nl >= 0) {
      const keep = start + nl + 1;
      if (keep === size) return 0;
      fs.ftruncateSync(fd, keep);
      fs.fsyncSync(fd);
      return size - keep;
    }
    end = start;
  }
  fs.ftruncateSync(fd, 0);
  fs.fsyncSync(fd);
  return size;
}
