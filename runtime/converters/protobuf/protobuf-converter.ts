/**
 * Confluent's ProtobufConverter (`io.confluent.connect.protobuf.ProtobufConverter`): Connect structs
 * as Protobuf messages in the Confluent wire format (magic byte 0, 4-byte schema id, message-index
 * varints), schemas registered as proto3 text in a Confluent-compatible registry. Writers are cached
 * per Connect schema and topic, readers per schema id and message, so cached schemas keep working
 * while the registry is down.
 */
import type protobuf from 'protobufjs';
import { ConfigDef, type ParsedConfig, type Validator } from '../../config/config-def.ts';
import { ConfigException, DataException } from '../../errors.ts';
import type { Schema } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import type { Converter, SchemaAndValue } from '../../spi/converter.ts';
import { defineSerdeConfig } from '../../schema-registry/serde-config.ts';
import { resolveWriterSchema } from '../../schema-registry/writer-schema.ts';
import { resolveReferences } from '../../schema-registry/references.ts';
import { decodeMessageIndexes, readHeader, writeHeader } from '../../schema-registry/wire-format.ts';
import { ProtobufData } from './protobuf-data.ts';
import { renderProto } from './proto-file.ts';
import { type ParsedProto, indexesOf, parseProto, typeAtIndexes } from './proto-root.ts';
import { RegistryConverterBase } from '../registry-converter-base.ts';
import { CONVERTER_TYPE_KEY } from '../converter-type-config.ts';

const mustBe = (expected: boolean, why: string): Validator => ({
  description: String(expected),
  ensureValid(name, value) {
    if (value !== expected)
      throw new ConfigException(`Invalid value ${String(value)} for configuration ${name}: ${why}`, { key: name });
  },
});

export const PROTOBUF_CONVERTER_CONFIG = defineSerdeConfig(new ConfigDef())
  .define({
    name: 'schemas.cache.size',
    type: 'INT',
    defaultValue: 1000,
    importance: 'LOW',
    group: 'Protobuf',
    documentation: "Size of the converter's schema caches.",
  })
  .define({
    name: 'enhanced.protobuf.schema.support',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Protobuf',
    documentation: 'Name Connect structs read from Protobuf after the full message name (package included).',
  })
  .define({
    name: 'wrapper.for.nullables',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Protobuf',
    documentation:
      'Write optional scalars as google.protobuf wrapper messages (so null survives) and read wrappers as optional primitives.',
  })
  .define({
    name: 'optional.for.nullables',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Protobuf',
    documentation: 'Write optional scalars as proto3 `optional` fields (so null survives).',
  })
  .define({
    name: 'generate.index.for.unions',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: 'Protobuf',
    validator: mustBe(true, 'only union field names with the oneof index suffix are supported'),
    documentation: 'Suffix union (oneof) field names with the oneof index (must be true).',
  })
  .define({
    name: 'scrub.invalid.names',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Protobuf',
    validator: mustBe(false, 'name scrubbing is not supported'),
    documentation: 'Not supported (must be false).',
  })
  .define({
    name: 'int.for.enums',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Protobuf',
    validator: mustBe(false, 'enums are read as strings only'),
    documentation: 'Not supported (must be false).',
  })
  .define({
    name: 'generate.struct.for.nulls',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Protobuf',
    validator: mustBe(false, 'not supported'),
    documentation: 'Not supported (must be false).',
  })
  .define({
    name: 'flatten.unions',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Protobuf',
    validator: mustBe(false, 'not supported'),
    documentation: 'Not supported (must be false).',
  })
  .define(CONVERTER_TYPE_KEY);

interface Writer {
  id: number;
  indexes: number[];
  type: protobuf.Type;
}

interface Reader {
  schema: Schema;
  type: protobuf.Type;
}

export class ProtobufConverter extends RegistryConverterBase<Writer> implements Converter {
  private data = new ProtobufData();
  private readonly files = new Map<number, Promise<ParsedProto>>();
  private readonly readers = new Map<string, Reader>();

  constructor() {
    super(PROTOBUF_CONVERTER_CONFIG);
  }

  protected configureFormat(c: ParsedConfig): void {
    if (c.getBoolean('wrapper.for.nullables') && c.getBoolean('optional.for.nullables')) {
      throw new ConfigException(
        'wrapper.for.nullables and optional.for.nullables cannot both be true: choose one way to write optional scalars',
        { key: 'optional.for.nullables' },
      );
    }
    this.data = new ProtobufData({
      wrapperForNullables: c.getBoolean('wrapper.for.nullables'),
      optionalForNullables: c.getBoolean('optional.for.nullables'),
      enhancedSchemaSupport: c.getBoolean('enhanced.protobuf.schema.support'),
    });
  }

  fromConnectData(topic: string, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    if (schema === null)
      throw new DataException(
        'ProtobufConverter needs a Connect struct schema to write a value; schemaless values are not supported',
      );
    if (!(value instanceof Struct))
      throw new DataException(`ProtobufConverter writes structs only, got a ${schema.type} value`);
    const writer = this.writers.get(schema, topic);
    if (writer) return this.write(writer, schema, value);
    return this.writers.obtain(schema, topic).then((w) => this.write(w, schema, value));
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (value === null || value.length === 0) return { schema: null, value: null };
    const { schemaId, offset } = readHeader(value);
    const { indexes, offset: payloadOffset } = decodeMessageIndexes(value, offset);
    const key = `${schemaId}:${indexes.join('.')}`;
    const reader = this.readers.get(key);
    if (reader) return this.read(reader, value, payloadOffset, schemaId);
    return this.readerFor(schemaId, indexes, key).then((r) => this.read(r, value, payloadOffset, schemaId));
  }

  private write(w: Writer, schema: Schema, value: Struct): Buffer {
    const obj = this.data.fromConnectData(schema, w.type, value);
    let payload: Uint8Array;
    try {
      payload = w.type.encode(w.type.fromObject(obj)).finish();
    } catch (err) {
      throw new DataException(`Failed to serialize Protobuf data for schema id ${w.id}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return writeHeader(w.id, payload, w.indexes);
  }

  private read(r: Reader, bytes: Buffer, offset: number, schemaId: number): SchemaAndValue {
    let message: protobuf.Message;
    try {
      message = r.type.decode(bytes.subarray(offset));
    } catch (err) {
      throw new DataException(
        `Failed to deserialize Protobuf data for schema id ${schemaId}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return { schema: r.schema, value: this.data.toConnectData(r.schema, r.type, message) };
  }

  protected async buildWriter(topic: string, schema: Schema): Promise<Writer> {
    const { file, messageName } = this.data.fromConnectSchema(schema);
    const text = renderProto(file);
    const chosen = await resolveWriterSchema(this.serde, topic, this.isKey, messageName, {
      schemaType: 'PROTOBUF',
      schema: text,
      references: [],
    });
    if (!chosen.foreign) {
      const parsed = parseProto(text);
      return { id: chosen.id, indexes: indexesOf(parsed, messageName), type: parsed.root.lookupType(messageName) };
    }
    if (chosen.registered.schemaType !== 'PROTOBUF')
      throw new DataException(
        `Schema id ${chosen.id} of subject "${chosen.subject}" is registered as ${chosen.registered.schemaType}, not Protobuf`,
      );
    const parsed = await this.parsedFile(chosen.id);
    let indexes: number[];
    try {
      indexes = indexesOf(parsed, messageName);
    } catch {
      throw new DataException(
        `Schema id ${chosen.id} (subject "${chosen.subject}") has no message ${messageName}: the record's schema does not match the registered one`,
      );
    }
    return { id: chosen.id, indexes, type: typeAtIndexes(parsed, indexes) };
  }

  private parsedFile(schemaId: number): Promise<ParsedProto> {
    let p = this.files.get(schemaId);
    if (!p) {
      p = (async () => {
        const registered = await this.serde.client.getById(schemaId);
        if (registered.schemaType !== 'PROTOBUF')
          throw new DataException(
            `Schema id ${schemaId} is registered as ${registered.schemaType}, not Protobuf: the data was written by another converter`,
          );
        const refs = await resolveReferences(this.serde.client, registered.references);
        return parseProto(registered.schema, refs);
      })();
      this.files.set(schemaId, p);
      p.catch(() => this.files.delete(schemaId));
    }
    return p;
  }

  private async readerFor(schemaId: number, indexes: number[], key: string): Promise<Reader> {
    const parsed = await this.parsedFile(schemaId);
    const type = typeAtIndexes(parsed, indexes);
    const reader = { schema: this.data.toConnectSchema(type), type };
    if (this.readers.size >= this.cacheSize && this.cacheSize > 0)
      this.readers.delete(this.readers.keys().next().value!);
    this.readers.set(key, reader);
    return reader;
  }
}
