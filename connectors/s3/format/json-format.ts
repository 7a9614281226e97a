/**
 * Confluent's JsonFormat (`io.confluent.connect.s3.format.json.JsonFormat`): one JSON document per
 * line, written by Kafka Connect's JsonConverter with schemas.enable=false, decimal.format from
 * json.decimal.format and schemas.cache.size from schema.cache.size, as Confluent's
 * JsonRecordWriterProvider does (values that are not structs go through the same converter
 * without a schema). Extension `.json`, `.json.gz` with s3.compression.type=gzip.
 */
import { JsonConverter } from '../../../sdk/internal/converters.ts';
import { DataException } from '../../../sdk/errors.ts';
import type { SinkRecord } from '../../../sdk/data.ts';
import { ByteChunks, where } from './byte-chunks.ts';
import type { FileContext, Format, FormatSettings, RecordWriter } from './format.ts';

export const JSON_FORMAT_CLASS = 'io.confluent.connect.s3.format.json.JsonFormat';
const NEWLINE = Buffer.from('\n');

function converterFor(settings: FormatSettings): JsonConverter {
  const c = new JsonConverter();
  c.configure(
    {
      'schemas.enable': 'false',
      'schemas.cache.size': settings.props['schema.cache.size'] ?? '1000',
      'decimal.format': (settings.props['json.decimal.format'] ?? 'BASE64').toUpperCase(),
    },
    false,
  );
  return c;
}

class JsonRecordWriter implements RecordWriter {
  private readonly chunks: ByteChunks;

  constructor(
    private readonly converter: JsonConverter,
    settings: FormatSettings,
  ) {
    this.chunks = ByteChunks.forSettings(settings);
  }

  write(record: SinkRecord): void {
    let bytes: Buffer | null;
    try {
      bytes = this.converter.fromConnectData(record.topic, record.valueSchema, record.value);
    } catch (err) {
      throw new DataException(`JsonFormat cannot write the record at ${where(record)}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    this.chunks.push(bytes ?? Buffer.from('null'));
    this.chunks.push(NEWLINE);
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

export const jsonFormat: Format = {
  className: JSON_FORMAT_CLASS,
  requiresSchema: false,
  extension: (s) => (s.compressionType === 'gzip' ? '.json.gz' : '.json'),
  validate: () => {},
  open: (settings: FormatSettings, _file: FileContext) => new JsonRecordWriter(converterFor(settings), settings),
};
