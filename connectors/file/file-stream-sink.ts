/**
 * FileStreamSinkConnector with Kafka Connect's class name and keys (`file`, `topics`): writes each
 * record value's string form as a line. Each put() is one write() call, so a crash never leaves a
 * half-written line; flush() fsyncs before the worker commits the consumed offsets.
 */
import fs from 'node:fs';
import { ConfigDef, ParsedConfig } from '../../runtime/config/config-def.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { ConnectException } from '../../runtime/errors.ts';
import type { SinkRecord } from '../../runtime/data/records.ts';
import type { SinkConnector } from '../../runtime/spi/connector.ts';
import type { SinkTask, SinkTaskContext } from '../../runtime/spi/sink.ts';

export const FILE_SINK_CONFIG = new ConfigDef()
  .define({ name: 'file', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Destination filename. If not specified, the standard output will be used' });

const VERSION = '1.0.0';

export class FileStreamSinkConnector implements SinkConnector {
  readonly type = 'sink' as const;
  private props: Record<string, string> = {};

  version(): string { return VERSION; }
  config(): ConfigDef { return FILE_SINK_CONFIG; }

  start(props: Record<string, string>): void {
    new ParsedConfig(FILE_SINK_CONFIG, props);
    this.props = { ...props };
  }

  taskConfigs(maxTasks: number): Array<Record<string, string>> {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask { return new FileStreamSinkTask(); }
  stop(): void {}
}

export function lineOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof Struct) return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object') return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v));
  return String(value);
}

export class FileStreamSinkTask implements SinkTask {
  private fd: number | null = null;
  private filename: string | null = null;
  private context!: SinkTaskContext;

  version(): string { return VERSION; }
  initialize(context: SinkTaskContext): void { this.context = context; }

  start(props: Record<string, string>): void {
    this.filename = new ParsedConfig(FILE_SINK_CONFIG, props).getOptionalString('file');
    try {
      this.fd = this.filename ? fs.openSync(this.filename, 'a') : 1;
    } catch (err) {
      throw new ConnectException(`Couldn't find or create file '${this.filename}' for FileStreamSinkTask: ${(err as Error).message}`, { cause: err });
    }
  }

  async put(records: SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    let text = '';
    for (const r of records) text += lineOf(r.value) + '\n';
    const buf = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < buf.length) written += fs.writeSync(this.fd!, buf, written, buf.length - written);
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
