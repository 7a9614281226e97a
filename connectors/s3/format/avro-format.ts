/**
 * Confluent's AvroFormat (`io.confluent.connect.s3.format.avro.AvroFormat`): an Avro object
 * container file per object, its schema made from the Connect schema by AvroData (the port of
 * Confluent's, with connect.meta.data and enhanced.avro.schema.support from the connector config),
 * blocks of about 64,000 bytes (DataFileWriter's default sync interval), codec avro.codec (null,
 * deflate or snappy). Extension `.avro`.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type avro from 'avsc';
import snappy from 'snappyjs';
import { AvroData, avscType, parseAvroSchema, jsonText } from '../../../sdk/internal/avro.ts';
import { ConfigException, DataException } from '../../../sdk/errors.ts';
import type { SinkRecord, Schema } from '../../../sdk/data.ts';
import { ByteChunks, where } from './byte-chunks.ts';
import type { FileContext, Format, FormatSettings, RecordWriter } from './format.ts';

export const AVRO_FORMAT_CLASS = 'io.confluent.connect.s3.format.avro.AvroFormat';
const SYNC_INTERVAL = 64_000;
const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]); // "Obj" 1
const SUPPORTED_CODECS = ['null', 'deflate', 'snappy'];

/** Avro's zig-zag varint long. */
export function avroLong(n: number): Buffer {
  let v = BigInt(n);
  v = (v << 1n) ^ (v >> 63n);
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number((v & 0x7fn) | 0x80n));
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

const avroBytes = (b: Buffer): Buffer => Buffer.concat([avroLong(b.length), b]);

function header(schemaText: string, codec: string, sync: Buffer): Buffer {
  const meta: Array<[string, Buffer]> = [
    ['avro.schema', Buffer.from(schemaText, 'utf8')],
    ['avro.codec', Buffer.from(codec, 'utf8')],
  ];
  const parts = [MAGIC, avroLong(meta.length)];
  for (const [k, v] of meta) parts.push(avroBytes(Buffer.from(k, 'utf8')), avroBytes(v));
  parts.push(avroLong(0), sync);
  return Buffer.concat(parts);
}

function compress(codec: string, block: Buffer): Buffer {
  switch (codec) {
    case 'deflate':
      return zlib.deflateRawSync(block);
    case 'snappy': {
      // Avro's snappy codec: the snappy block followed by the CRC32 (big-endian) of the uncompressed data.
      const body = Buffer.from(snappy.compress(block) as Uint8Array);
      const crc = Buffer.allocUnsafe(4);
      crc.writeUInt32BE(zlib.crc32(block) >>> 0);
      return Buffer.concat([body, crc]);
    }
    default:
      return block;
  }
}

interface CompiledSchema {
  text: string;
  type: avro.Type;
  toAvro: (value: unknown) => unknown;
}

class AvroRecordWriter implements RecordWriter {
  private readonly out = new ByteChunks(null);
  private readonly sync = crypto.randomBytes(16);
  private block: Buffer[] = [];
  private blockBytes = 0;
  private blockCount = 0;

  constructor(
    private readonly compiled: CompiledSchema,
    private readonly codec: string,
  ) {
    this.out.push(header(compiled.text, codec, this.sync));
  }

  write(record: SinkRecord): void {
    let bytes: Buffer;
    try {
      bytes = this.compiled.type.toBuffer(this.compiled.toAvro(record.value));
    } catch (err) {
      throw new DataException(`AvroFormat cannot write the record at ${where(record)}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    this.block.push(bytes);
    this.blockBytes += bytes.length;
    this.blockCount++;
    if (this.blockBytes >= SYNC_INTERVAL) this.flushBlock();
  }

  private flushBlock(): void {
    if (this.blockCount === 0) return;
    const data = compress(this.codec, Buffer.concat(this.block, this.blockBytes));
    this.out.push(Buffer.concat([avroLong(this.blockCount), avroLong(data.length), data, this.sync]));
    this.block = [];
    this.blockBytes = 0;
    this.blockCount = 0;
  }

  bufferedBytes(): number {
    return this.out.size() + this.blockBytes;
  }
  drain(): Uint8Array[] {
    return this.out.drain();
  }
  finish(): Uint8Array[] {
    this.flushBlock();
    return this.out.finish();
  }
  abort(): void {
    this.out.clear();
    this.block = [];
  }
}

/** One AvroData per settings object (its caches are per Connect schema instance). */
const avroDataBySettings = new WeakMap<FormatSettings, { data: AvroData; compiled: WeakMap<Schema, CompiledSchema> }>();

function compiledFor(settings: FormatSettings, schema: Schema): CompiledSchema {
  let entry = avroDataBySettings.get(settings);
  if (!entry) {
    const flag = (k: string) => (settings.props[k] ?? 'true').trim().toLowerCase() === 'true';
    entry = {
      data: new AvroData({
        connectMetaData: flag('connect.meta.data'),
        enhancedSchemaSupport: flag('enhanced.avro.schema.support'),
      }),
      compiled: new WeakMap(),
    };
    avroDataBySettings.set(settings, entry);
  }
  let c = entry.compiled.get(schema);
  if (!c) {
    const json = entry.data.fromConnectSchema(schema);
    c = {
      text: jsonText(json),
      type: avscType(json),
      toAvro: entry.data.compileFromConnect(schema, parseAvroSchema(json)),
    };
    entry.compiled.set(schema, c);
  }
  return c;
}

export const avroFormat: Format = {
  className: AVRO_FORMAT_CLASS,
  requiresSchema: true,
  extension: () => '.avro',
  validate(settings) {
    if (settings.compressionType !== 'none')
      throw new ConfigException(
        `s3.compression.type=${settings.compressionType} does not apply to AvroFormat: remove it and set avro.codec (null, deflate or snappy) instead`,
        { key: 's3.compression.type' },
      );
    if (!SUPPORTED_CODECS.includes(settings.avroCodec))
      throw new ConfigException(
        `avro.codec=${settings.avroCodec} is not supported by Tributary's AvroFormat: use null, deflate or snappy`,
        { key: 'avro.codec' },
      );
  },
  open(settings: FormatSettings, file: FileContext): RecordWriter {
    if (!file.valueSchema)
      throw new DataException(
        `AvroFormat needs records with a value schema (topic=${file.topic} partition=${file.kafkaPartition} offset=${file.startOffset} has none): use a converter with schemas (e.g. JsonConverter with schemas.enable=true, AvroConverter)`,
      );
    return new AvroRecordWriter(compiledFor(settings, file.valueSchema), settings.avroCodec);
  },
};
