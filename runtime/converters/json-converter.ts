/**
 * Kafka Connect's JsonConverter (`org.apache.kafka.connect.json.JsonConverter`), byte-compatible:
 * `{"schema":…,"payload":…}` envelopes with `schemas.enable=true`, Jackson-compact output, schema
 * attributes in JsonSchema order, `float`/`double` type names, Java number formatting, base64 bytes
 * and Decimal as BASE64 or NUMERIC. The work is done by the value writer and reader and the schema
 * translator; this class is the envelope and the configuration.
 */
import { ConfigDef, ParsedConfig } from '../config/config-def.ts';
import { DataException } from '../errors.ts';
import type { Schema } from '../data/schema.ts';
import type { Converter, SchemaAndValue } from '../spi/converter.ts';
import { parseJsonPrecise } from './json-text.ts';
import { JsonBytes } from './json-bytes.ts';
import { EnvelopeSchemaCache } from './json-envelope.ts';
import { JSON_CONVERTER_CONFIG } from './json-converter-config.ts';
import { JsonValueWriter, type JsonPayloadWriter } from './json-value-writer.ts';
import { JsonValueReader } from './json-value-reader.ts';
import { JsonSchemaTranslator } from './json-schema-translator.ts';

export { JSON_CONVERTER_CONFIG };

export class JsonConverter implements Converter {
  private schemasEnabled = true;
  /** `{"schema":<schema>,"payload":` as UTF-8, per schema: encoded once instead of with every record. */
  private readonly envelopePrefixes = new WeakMap<Schema, Buffer>();
  private readonly out = new JsonBytes();
  private lastSchema: Schema | null = null;
  private lastPrefix: Buffer | null = null;
  private lastWriter: JsonPayloadWriter | null = null;
  private values = new JsonValueWriter(false, true);
  private json = new JsonValueReader(true);
  private schemas = new JsonSchemaTranslator(this.values, this.json, 1000);
  private envelopeSchemas = new EnvelopeSchemaCache(1000);

  config(): ConfigDef {
    return JSON_CONVERTER_CONFIG;
  }

  configure(configs: Record<string, string>, _isKey: boolean): void {
    const c = new ParsedConfig(JSON_CONVERTER_CONFIG, configs);
    this.schemasEnabled = c.getBoolean('schemas.enable');
    const replaceNullWithDefault = c.getBoolean('replace.null.with.default');
    const cacheSize = c.getInt('schemas.cache.size');
    this.values = new JsonValueWriter(
      c.getString('decimal.format').toUpperCase() === 'NUMERIC',
      replaceNullWithDefault,
    );
    this.lastSchema = null;
    this.json = new JsonValueReader(replaceNullWithDefault);
    this.schemas = new JsonSchemaTranslator(this.values, this.json, cacheSize);
    this.envelopeSchemas = new EnvelopeSchemaCache(cacheSize);
  }

  version(): string {
    return '1.0.0';
  }

  recycleOutput(): void {
    this.out.recycle();
  }

  markOutput(): number {
    return this.out.mark();
  }

  releaseOutput(mark: number): void {
    this.out.release(mark);
  }

  fromConnectData(_topic: string, schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null) {
      if (value === null || value === undefined) return null;
      const payload = this.values.valueToJson(null, value, 'value');
      return Buffer.from(this.schemasEnabled ? `{"schema":null,"payload":${payload}}` : payload, 'utf8');
    }
    const out = this.out;
    out.begin();
    try {
      if (schema !== this.lastSchema) {
        // A topic's records share their schema object: two cache lookups per schema change, not per record.
        this.lastSchema = schema;
        this.lastPrefix = this.schemasEnabled ? this.envelopePrefix(schema) : null;
        this.lastWriter = this.values.writerFor(schema);
      }
      if (this.lastPrefix !== null) out.bytes(this.lastPrefix);
      this.lastWriter!(value, 'value', out);
      if (this.schemasEnabled) out.byte(0x7d); // }
    } catch (err) {
      out.abandon();
      throw err;
    }
    return out.finish();
  }

  private envelopePrefix(schema: Schema): Buffer {
    let prefix = this.envelopePrefixes.get(schema);
    if (!prefix) {
      prefix = Buffer.from(`{"schema":${this.schemas.schemaJson(schema)},"payload":`, 'utf8');
      this.envelopePrefixes.set(schema, prefix);
    }
    return prefix;
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    if (value === null || value.length === 0) return { schema: null, value: null };
    if (this.schemasEnabled) {
      // A schema seen before: only the payload is parsed (the error cases take the full path below).
      const hit = this.envelopeSchemas.lookup(value);
      if (hit !== null) {
        let payload: unknown;
        try {
          payload = parseJsonPrecise(value.toString('utf8', hit.payloadStart, value.length - 1));
        } catch {
          payload = undefined;
        }
        if (payload !== undefined)
          return { schema: hit.schema, value: this.json.jsonToValue(hit.schema, payload, 'payload') };
      }
    }
    let json: unknown;
    try {
      json = parseJsonPrecise(value.toString('utf8'));
    } catch (err) {
      throw new DataException(
        'Converting byte[] to Kafka Connect data failed due to serialization error: ' + (err as Error).message,
        { cause: err },
      );
    }
    if (this.schemasEnabled) {
      const env = json as Record<string, unknown> | null;
      if (
        env === null ||
        typeof env !== 'object' ||
        Array.isArray(env) ||
        Object.keys(env).length !== 2 ||
        !('schema' in env) ||
        !('payload' in env)
      ) {
        throw new DataException(
          'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
        );
      }
      if (env.schema === null) return { schema: null, value: this.json.schemalessToConnect(env.payload) };
      const schema = this.schemas.schemaFromJson(env.schema);
      this.envelopeSchemas.remember(value, schema);
      return { schema, value: this.json.jsonToValue(schema, env.payload, 'payload') };
    }
    return { schema: null, value: this.json.schemalessToConnect(json) };
  }
}
