/**
 * The contract between the S3 sink task and an output format (Confluent's `format.class`).
 *
 * The task opens one RecordWriter per object it is building (one topic partition, one encoded
 * partition path, one schema). It calls write() for every record in offset order, drain() after
 * each batch to move finished bytes out of the writer (they are uploaded as multipart parts once
 * `s3.part.size` bytes are pending, so memory per open file stays bounded), and finish() when the
 * file rotates. abort() is called instead of finish() when the file is thrown away (task stop,
 * failed upload, rebalance); the writer must release its memory and never be used again.
 *
 * Schema changes are decided by the task (see `schema-rotation.ts`), not by the format: a writer
 * only ever receives records whose value schema is the one it was opened with (records may have
 * been projected to it first when `schema.compatibility` is BACKWARD/FORWARD/FULL).
 */
import type { Schema, SinkRecord } from '../../../sdk/data.ts';

/** `s3.compression.type`: Confluent accepts gzip for JSON (and ByteArray); other formats compress internally. */
export type S3CompressionType = 'none' | 'gzip';

/** What a format gets to configure itself, resolved from the connector config. */
export interface FormatSettings {
  /** The raw connector properties, for format-specific keys (e.g. `parquet.codec`, `avro.codec`). */
  readonly props: Readonly<Record<string, string>>;
  /** `s3.compression.type`. */
  readonly compressionType: S3CompressionType;
  /** `s3.compression.level` (-1 = zlib default). */
  readonly compressionLevel: number;
  /** `parquet.codec`: none, snappy, gzip, lzo, brotli, lz4, zstd (Confluent's values). */
  readonly parquetCodec: string;
  /** `avro.codec`: null, deflate, snappy, bzip2, zstandard (Confluent's values). */
  readonly avroCodec: string;
  /** `s3.part.size`: bytes per multipart part; a writer may use it to size its internal chunks. */
  readonly partSize: number;
}

/** Where the file being written belongs; for messages and for formats that name things after it. */
export interface FileContext {
  readonly topic: string;
  readonly kafkaPartition: number;
  /** Offset of the first record in the file (also the last part of the object key). */
  readonly startOffset: number;
  /** Value schema of every record of this file; null for schemaless records. */
  readonly valueSchema: Schema | null;
}

export interface RecordWriter {
  /** Encode one record into the file. Throws DataException (naming topic/partition/offset) when it cannot. */
  write(record: SinkRecord): void;
  /**
   * Bytes held in memory by this writer that drain() has not returned yet (encoded or still
   * columnar). The task uses it to bound memory; an estimate is fine, but it must grow with the data.
   */
  bufferedBytes(): number;
  /**
   * Encoded bytes that are final (will not change) and can be uploaded now, in file order; an empty
   * array when nothing is ready. Formats that can only encode the whole file at the end (e.g. a
   * Parquet row group still open) return [] and report their size through bufferedBytes().
   */
  drain(): Uint8Array[];
  /** Completes the file: the remaining bytes in file order (after everything drain() returned). */
  finish(): Uint8Array[] | Promise<Uint8Array[]>;
  /** Drops everything; the writer is not used again. */
  abort(): void;
}

export interface Format {
  /** Confluent's class name, e.g. `io.confluent.connect.s3.format.json.JsonFormat`. */
  readonly className: string;
  /** Object key extension including the dot and the compression suffix, e.g. `.json.gz`, `.avro`, `.snappy.parquet`. */
  extension(settings: FormatSettings): string;
  /**
   * Checks the settings this format depends on; throws ConfigException naming key, value and fix
   * (e.g. gzip with AvroFormat). Called when the connector is validated and when the task starts.
   */
  validate(settings: FormatSettings): void;
  /** Opens a writer for one new file. */
  open(settings: FormatSettings, file: FileContext): RecordWriter;
  /** Whether records must carry a value schema (Avro, Parquet); the task rejects schemaless records with a clear error then. */
  readonly requiresSchema: boolean;
}

/*
 * Each format module exports one `Format` object (e.g. `export const parquetFormat: Format` from
 * parquet-format.ts); `formats.ts` maps `format.class` values (Confluent class names and short
 * aliases) to them.
 */
