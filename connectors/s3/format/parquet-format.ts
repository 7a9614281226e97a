/**
 * Confluent's ParquetFormat (`io.confluent.connect.s3.format.parquet.ParquetFormat`) on
 * hyparquet-writer. Records are held column by column until the open row group reaches
 * ROW_GROUP_MAX_ROWS rows or its estimated size reaches the row-group byte bound
 * (`s3.part.size`, at least ROW_GROUP_MIN_BYTES); the group is then encoded and its bytes become
 * drainable, so memory per open file stays about one row group plus one part. The footer is
 * written by finish(). Like parquet-mr: 64 KiB pages, dictionary encoding, statistics, and the
 * Avro schema in the `parquet.avro.schema` key-value metadata.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { ConfigException, DataException } from '../../../sdk/errors.ts';
import { type SinkRecord, type Schema, Struct } from '../../../sdk/data.ts';
import { AvroData } from '../../../sdk/internal/avro.ts';
import { VERSION } from '../../../sdk/internal/worker-support.ts';
import { parquetLayout, type ParquetLayout, type SizeCounter } from '../parquet/schema-mapping.ts';
import { parquetCodec, type ParquetCodec } from '../parquet/codecs.ts';
import type { FileContext, Format, FormatSettings, RecordWriter } from './format.ts';

type Compressors = NonNullable<ConstructorParameters<typeof ParquetWriter>[0]['compressors']>;

export const ROW_GROUP_MAX_ROWS = 100_000;
export const ROW_GROUP_MIN_BYTES = 4 * 2 ** 20;
const PAGE_SIZE = 64 * 1024;

/** A ByteWriter that hands out the bytes written so far on every flush (after each row group). */
class DrainableByteWriter extends ByteWriter {
  readonly ready: Uint8Array[] = [];
  readyBytes = 0;

  flush(): void {
    if (this.index === 0) return;
    this.ready.push(new Uint8Array(this.buffer.slice(0, this.index)));
    this.readyBytes += this.index;
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }

  take(): Uint8Array[] {
    const out = this.ready.splice(0);
    this.readyBytes = 0;
    return out;
  }
}

/** AvroData's schema for the value; an optional struct is a union with null there, parquet-avro's file schema is its record. */
function avroRecordSchema(schema: Schema): unknown {
  const avro = new AvroData().fromConnectSchema(schema);
  return Array.isArray(avro) ? avro.find((branch) => branch !== 'null') : avro;
}

export interface ParquetWriterOptions {
  readonly rowGroupMaxRows?: number;
  readonly rowGroupMaxBytes?: number;
}

export class ParquetRecordWriter implements RecordWriter {
  private readonly layout: ParquetLayout;
  private readonly out = new DrainableByteWriter(64 * 1024);
  private readonly writer: ParquetWriter;
  private columns: unknown[][];
  private rows = 0;
  private readonly size: SizeCounter = { bytes: 0 };
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private closed = false;

  constructor(
    private readonly file: FileContext,
    codec: ParquetCodec,
    opts: ParquetWriterOptions = {},
  ) {
    if (!file.valueSchema)
      throw new DataException(
        `ParquetFormat needs records with a value schema (topic ${file.topic}, partition ${file.kafkaPartition}, offset ${file.startOffset}); use a converter with schemas (AvroConverter, JsonConverter with schemas.enable=true) or JsonFormat/ByteArrayFormat.`,
      );
    this.layout = parquetLayout(file.valueSchema);
    this.maxRows = opts.rowGroupMaxRows ?? ROW_GROUP_MAX_ROWS;
    this.maxBytes = opts.rowGroupMaxBytes ?? ROW_GROUP_MIN_BYTES;
    this.columns = this.layout.columns.map(() => []);
    const compressors = (codec.compress ? { [codec.codec]: codec.compress } : {}) as Compressors;
    this.writer = new ParquetWriter({
      writer: this.out,
      schema: this.layout.elements,
      codec: codec.codec,
      compressors,
      createdBy: `tributary version ${VERSION}`,
      kvMetadata: [
        { key: 'parquet.avro.schema', value: JSON.stringify(avroRecordSchema(file.valueSchema)) },
        { key: 'writer.model.name', value: 'avro' },
      ],
    });
  }

  write(record: SinkRecord): void {
    if (this.closed) throw new DataException('ParquetRecordWriter used after finish() or abort()');
    const value = record.value;
    if (!(value instanceof Struct)) {
      throw new DataException(
        `ParquetFormat cannot write ${value === null ? 'a null value (tombstone)' : `a ${typeof value} value`} at topic ${record.topic}, partition ${record.kafkaPartition}, offset ${record.kafkaOffset}: Parquet rows are structs.`,
      );
    }
    const { columns } = this.layout;
    // the task hands over values of the file's schema; an equal schema object of another identity is read by name
    const fields = value.schema === this.file.valueSchema ? value.schema.fields : null;
    try {
      for (let c = 0; c < columns.length; c++)
        this.columns[c].push(columns[c].convert(fields ? value.get(fields[c]) : value.get(columns[c].name), this.size));
    } catch (e) {
      // roll the partial row back so every column keeps the same length
      for (const column of this.columns) column.length = this.rows;
      throw new DataException(
        `ParquetFormat cannot write the record at topic ${record.topic}, partition ${record.kafkaPartition}, offset ${record.kafkaOffset}: ${(e as Error).message}`,
        { cause: e },
      );
    }
    this.rows++;
    if (this.rows >= this.maxRows || this.size.bytes >= this.maxBytes) this.writeRowGroup();
  }

  bufferedBytes(): number {
    return this.size.bytes + this.out.readyBytes + this.out.index;
  }

  drain(): Uint8Array[] {
    return this.out.take();
  }

  finish(): Uint8Array[] {
    if (this.closed) throw new DataException('ParquetRecordWriter finished twice');
    this.writeRowGroup();
    void this.writer.finish();
    this.closed = true;
    return this.out.take();
  }

  abort(): void {
    this.closed = true;
    this.columns = [];
    this.out.take();
  }

  private writeRowGroup(): void {
    if (this.rows === 0) return;
    const columnData = this.layout.columns.map((c, i) => ({ name: c.name, data: this.columns[i] }));
    try {
      void this.writer.write({ columnData, rowGroupSize: this.rows, pageSize: PAGE_SIZE });
    } catch (e) {
      this.closed = true; // part of the row group may be in the file already: it can only be aborted now
      throw new DataException(
        `ParquetFormat could not encode a row group of ${this.file.topic}, partition ${this.file.kafkaPartition} (file starting at offset ${this.file.startOffset}): ${(e as Error).message}`,
        { cause: e },
      );
    }
    this.columns = this.layout.columns.map(() => []);
    this.rows = 0;
    this.size.bytes = 0;
  }
}

export const parquetFormat: Format = {
  className: 'io.confluent.connect.s3.format.parquet.ParquetFormat',
  requiresSchema: true,
  extension(settings: FormatSettings): string {
    return parquetCodec(settings.parquetCodec).extension;
  },
  validate(settings: FormatSettings): void {
    parquetCodec(settings.parquetCodec);
    if (settings.compressionType !== 'none') {
      throw new ConfigException(
        `Invalid value ${settings.compressionType} for configuration s3.compression.type with ParquetFormat: Parquet compresses its pages itself; set s3.compression.type=none and choose parquet.codec instead`,
        { key: 's3.compression.type' },
      );
    }
  },
  open(settings: FormatSettings, file: FileContext): RecordWriter {
    return new ParquetRecordWriter(file, parquetCodec(settings.parquetCodec), {
      rowGroupMaxBytes: Math.max(settings.partSize, ROW_GROUP_MIN_BYTES),
    });
  },
};
