/** StringConverter, ByteArrayConverter and SimpleHeaderConverter with Kafka Connect's behaviour. */
import { ConfigDef, ParsedConfig } from '../config/config-def.ts';
import { DataException } from '../errors.ts';
import { type Schema, Schemas } from '../data/schema.ts';
import type { Converter, HeaderConverter, SchemaAndValue } from '../spi/converter.ts';
import { convertToString } from '../data/values/values-to-string.ts';
import { parseString } from '../data/values/values.ts';
import { CONVERTER_TYPE_KEY } from './converter-type-config.ts';

const STRING_CONVERTER_CONFIG = new ConfigDef()
  .define({
    name: 'converter.encoding',
    type: 'STRING',
    defaultValue: 'UTF-8',
    importance: 'HIGH',
    documentation: 'The name of the character encoding to use: UTF-8, US-ASCII, ISO-8859-1, UTF-16LE.',
  })
  .define(CONVERTER_TYPE_KEY);

const ENCODINGS: Record<string, BufferEncoding> = {
  'UTF-8': 'utf8',
  UTF8: 'utf8',
  'US-ASCII': 'ascii',
  'ISO-8859-1': 'latin1',
  'UTF-16LE': 'utf16le',
};

export class StringConverter implements Converter, HeaderConverter {
  private encoding: BufferEncoding = 'utf8';

  config(): ConfigDef {
    return STRING_CONVERTER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(configs: Record<string, string>): void {
    const name = new ParsedConfig(STRING_CONVERTER_CONFIG, configs).getString('converter.encoding').toUpperCase();
    const enc = ENCODINGS[name];
    if (!enc)
      throw new DataException(
        `converter.encoding=${name} is not supported; use one of ${Object.keys(ENCODINGS).join(', ')}`,
      );
    this.encoding = enc;
  }

  fromConnectData(_topic: string, _schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    return Buffer.from(stringOf(value), this.encoding);
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: value === null ? null : value.toString(this.encoding) };
  }

  fromConnectHeader(topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }
}

function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toString?: unknown }).toString === 'function' &&
    (value as object).toString !== Object.prototype.toString
  )
    return String(value);
  if (typeof value === 'object') return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

const EMPTY_CONFIG = new ConfigDef().define(CONVERTER_TYPE_KEY);

export class ByteArrayConverter implements Converter, HeaderConverter {
  config(): ConfigDef {
    return EMPTY_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }
  configure(): void {}

  fromConnectData(topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema !== null && schema.type !== 'bytes')
      throw new DataException(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array))
      throw new DataException(
        `ByteArrayConverter is not compatible with objects of type ${typeof value} (topic ${topic})`,
      );
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value };
  }

  fromConnectHeader(topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }
}

/**
 * SimpleHeaderConverter: header values are written as Kafka's Values.convertToString and read back
 * with Kafka's Values.parseString (test/compat/transforms-headers.test.ts).
 */
export class SimpleHeaderConverter implements HeaderConverter {
  config(): ConfigDef {
    return EMPTY_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }
  configure(): void {}

  fromConnectHeader(_topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    // Kafka's Values.convertToString: structs as {"id":100}, lists [a,b], dates ISO, bytes base64.
    const text = convertToString(schema, value);
    return text === null ? null : Buffer.from(text, 'utf8');
  }

  toConnectHeader(topic: string, key: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: null, value: null };
    const text = value.toString('utf8');
    if (text === '') return { schema: Schemas.STRING, value: text };
    // Kafka's Values.parseString: narrowest integer, FLOAT32/FLOAT64/Decimal, ISO temporals, arrays, maps, else the text.
    try {
      return parseString(text);
    } catch (err) {
      throw new DataException(
        `Failed to deserialize value for header '${key}' on topic '${topic}': ${(err as Error).message}`,
      );
    }
  }
}
