/**
 * Confluent's ByteArrayFormat (`io.confluent.connect.s3.format.bytearray.ByteArrayFormat`): the
 * value bytes as the ByteArrayConverter gives them, each followed by format.bytearray.separator;
 * extension format.bytearray.extension (`.bin`), plus `.gz` with s3.compression.type=gzip.
 */
import { ByteArrayConverter } from '../../../sdk/internal/converters.ts';
import { DataException } from '../../../sdk/errors.ts';
import type { SinkRecord } from '../../../sdk/data.ts';
import { ByteChunks, where } from './byte-chunks.ts';
import type { Format, FormatSettings, RecordWriter } from './format.ts';

export const BYTEARRAY_FORMAT_CLASS = 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat';

class ByteArrayRecordWriter implements RecordWriter {
  private readonly chunks: ByteChunks;
  private readonly converter = new ByteArrayConverter();
  private readonly separator: Buffer;

  constructor(settings: FormatSettings) {
    this.chunks = ByteChunks.forSettings(settings);
    this.separator = Buffer.from(settings.props['format.bytearray.separator'] ?? '\n', 'utf8');
  }

  write(record: SinkRecord): void {
    let bytes: Buffer | null;
    try {
      bytes = this.converter.fromConnectData(record.topic, record.valueSchema, record.value);
    } catch (err) {
      throw new DataException(
        `ByteArrayFormat cannot write the record at ${where(record)}: ${(err as Error).message} (use the ByteArrayConverter as value.converter, or JsonFormat/AvroFormat)`,
        { cause: err },
      );
    }
    if (bytes) this.chunks.push(bytes);
    if (this.separator.length > 0) this.chunks.push(this.separator);
  }

  bufferedBytes(): number {
    return this.chunks.size();
  }
  drain(): Uint8Array[] {
    return this.chunks.drain();
  }
  finish(): Uint8Array[] {
    return this.chunks.finish();
  }
  abort(): void {
    this.chunks.clear();
  }
}

export const byteArrayFormat: Format = {
  className: BYTEARRAY_FORMAT_CLASS,
  requiresSchema: false,
  extension: (s) => (s.props['format.bytearray.extension'] ?? '.bin') + (s.compressionType === 'gzip' ? '.gz' : ''),
  validate: () => {},
  open: (settings) => new ByteArrayRecordWriter(settings),
};
