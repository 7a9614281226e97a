/**
 * Confluent's AvroConverter (`io.confluent.connect.avro.AvroConverter`): Connect data as Avro
 * binary in the Confluent wire format (magic byte 0, 4-byte schema id), schemas registered in a
 * Confluent-compatible schema registry under the configured subject naming strategy. Writers are
 * cached per Connect schema and topic, readers per schema id, so the registry is asked once per
 * schema and cached schemas keep working while it is down.
 */
import type avro from 'avsc';
import { ConfigDef, type ParsedConfig, type Validator } from '../../config/config-def.ts';
import { ConfigException, DataException } from '../../errors.ts';
import type { Schema } from '../../data/schema.ts';
import type { Converter, SchemaAndValue } from '../../spi/converter.ts';
import { defineSerdeConfig } from '../../schema-registry/serde-config.ts';
import { resolveWriterSchema } from '../../schema-registry/writer-schema.ts';
import { resolveReferences } from '../../schema-registry/references.ts';
import { readHeader, writeHeader } from '../../schema-registry/wire-format.ts';
import { AvroData } from './avro-data.ts';
import { type AvroNode, branchName, parseAvroSchema } from './avro-schema-tree.ts';
import { avscType } from './avsc-types.ts';
import { jsonText } from './json-text.ts';
import { RegistryConverterBase } from '../registry-converter-base.ts';
import { CONVERTER_TYPE_KEY } from '../converter-type-config.ts';

const notSupportedWhenTrue = (why: string): Validator => ({
  description: 'false',
  ensureValid(name, value) {
    if (value === true)
      throw new ConfigException(`Invalid value true for configuration ${name}: ${why}`, { key: name });
  },
});

export const AVRO_CONVERTER_CONFIG = defineSerdeConfig(new ConfigDef())
  .define({
    name: 'schemas.cache.size',
    type: 'INT',
    defaultValue: 1000,
    importance: 'LOW',
    group: 'Avro',
    documentation: "Size of the converter's schema caches.",
  })
  .define({
    name: 'connect.meta.data',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: 'Avro',
    documentation:
      'Write and read Connect metadata (connect.name, connect.version, connect.doc, connect.parameters, connect.default) in Avro schemas.',
  })
  .define({
    name: 'enhanced.avro.schema.support',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Avro',
    documentation: 'Keep Avro enums as enums and use full names for union members.',
  })
  .define({
    name: 'scrub.invalid.names',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Avro',
    validator: notSupportedWhenTrue(
      'name scrubbing is not supported; rename the schema with the SetSchemaMetadata transform instead',
    ),
    documentation: 'Not supported (must be false).',
  })
  .define({
    name: 'generalized.sum.type.support',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: 'Avro',
    validator: notSupportedWhenTrue('generalized sum types are not supported'),
    documentation: 'Not supported (must be false).',
  })
  .define(CONVERTER_TYPE_KEY);

interface Writer {
  id: number;
  connectNode: AvroNode;
  connectType: avro.Type;
  /** The compiled Connect -> avsc value conversion, made on first use. */
  toAvro?: (value: unknown) => unknown;
  /** Set when the registry chose another schema (use.latest.version): data is resolved into it. */
  target?: { type: avro.Type; resolver: avro.Resolver };
}

interface Reader {
  schema: Schema;
  node: AvroNode;
  type: avro.Type;
}

export class AvroConverter extends RegistryConverterBase<Writer> implements Converter {
  private avroData = new AvroData();
  private readonly readers = new Map<number, Reader>();
  private readonly pendingReaders = new Map<number, Promise<Reader>>();

  constructor() {
    super(AVRO_CONVERTER_CONFIG);
  }

  protected configureFormat(c: ParsedConfig): void {
    this.avroData = new AvroData({
      connectMetaData: c.getBoolean('connect.meta.data'),
      enhancedSchemaSupport: c.getBoolean('enhanced.avro.schema.support'),
    });
  }

  fromConnectData(topic: string, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null> {
    if (schema === null) {
      if (value === null || value === undefined) return null;
      throw new DataException(
        'AvroConverter needs a Connect schema to write a value; schemaless values are not supported (use JsonConverter with schemas.enable=false for them)',
      );
    }
    if (value === null || value === undefined) {
      if (!schema.optional) throw new DataException('Found null value for non-optional schema');
      return null;
    }
    const writer = this.writers.get(schema, topic);
    if (writer) return this.write(writer, schema, value);
    return this.writers.obtain(schema, topic).then((w) => this.write(w, schema, value));
  }

  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (value === null || value.length === 0) return { schema: null, value: null };
    const { schemaId, offset } = readHeader(value);
    const reader = this.readers.get(schemaId);
    if (reader) return this.read(reader, value, offset, schemaId);
    return this.readerFor(schemaId).then((r) => this.read(r, value, offset, schemaId));
  }

  private write(w: Writer, schema: Schema, value: unknown): Buffer {
    const avroValue = (w.toAvro ??= this.avroData.compileFromConnect(schema, w.connectNode))(value);
    let payload: Buffer;
    try {
      payload = w.connectType.toBuffer(avroValue);
      if (w.target) payload = w.target.type.toBuffer(w.target.type.fromBuffer(payload, w.target.resolver));
    } catch (err) {
      throw new DataException(`Failed to serialize Avro data for schema id ${w.id}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return writeHeader(w.id, payload);
  }

  private read(r: Reader, bytes: Buffer, offset: number, schemaId: number): SchemaAndValue {
    let decoded: unknown;
    try {
      decoded = r.type.fromBuffer(bytes.subarray(offset));
    } catch (err) {
      throw new DataException(`Failed to deserialize Avro data for schema id ${schemaId}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return { schema: r.schema, value: this.avroData.toConnectData(r.schema, r.node, decoded) };
  }

  protected async buildWriter(topic: string, schema: Schema): Promise<Writer> {
    const json = this.avroData.fromConnectSchema(schema);
    const text = jsonText(json);
    const connectNode = parseAvroSchema(json);
    const connectType = avscType(json);
    const recordName = connectNode.kind === 'union' ? 'union' : branchName(connectNode);
    const chosen = await resolveWriterSchema(this.serde, topic, this.isKey, recordName, {
      schemaType: 'AVRO',
      schema: text,
      references: [],
    });
    if (!chosen.foreign) return { id: chosen.id, connectNode, connectType };
    if (chosen.registered.schemaType !== 'AVRO')
      throw new DataException(
        `Schema id ${chosen.id} of subject "${chosen.subject}" is registered as ${chosen.registered.schemaType}, not Avro`,
      );
    const refs = await resolveReferences(this.serde.client, chosen.registered.references);
    const targetType = avscType(
      JSON.parse(chosen.registered.schema),
      refs.map((r) => JSON.parse(r.schema)),
    );
    let resolver: avro.Resolver;
    try {
      resolver = targetType.createResolver(connectType);
    } catch (err) {
      throw new DataException(
        `The Connect schema cannot be written with schema id ${chosen.id} (the latest version of subject "${chosen.subject}"): ${(err as Error).message}. Make the record's schema match the registered one, or set use.latest.version=false.`,
        { cause: err },
      );
    }
    return { id: chosen.id, connectNode, connectType, target: { type: targetType, resolver } };
  }

  private readerFor(schemaId: number): Promise<Reader> {
    let p = this.pendingReaders.get(schemaId);
    if (!p) {
      p = this.buildReader(schemaId).then(
        (r) => {
          if (this.readers.size >= this.cacheSize && this.cacheSize > 0)
            this.readers.delete(this.readers.keys().next().value!);
          this.readers.set(schemaId, r);
          this.pendingReaders.delete(schemaId);
          return r;
        },
        (err) => {
          this.pendingReaders.delete(schemaId);
          throw err;
        },
      );
      this.pendingReaders.set(schemaId, p);
    }
    return p;
  }

  private async buildReader(schemaId: number): Promise<Reader> {
    const registered = await this.serde.client.getById(schemaId);
    if (registered.schemaType !== 'AVRO')
      throw new DataException(
        `Schema id ${schemaId} is registered as ${registered.schemaType}, not Avro: the data was written by another converter`,
      );
    const refs = await resolveReferences(this.serde.client, registered.references);
    const refJson = refs.map((r) => JSON.parse(r.schema) as unknown);
    const json = JSON.parse(registered.schema) as unknown;
    const node = refJson.length ? parseWithReferences(json, refJson) : parseAvroSchema(json);
    return { schema: this.avroData.toConnectSchema(node), node, type: avscType(json, refJson) };
  }
}

/** Parses a schema whose names may be defined by referenced schemas. */
function parseWithReferences(json: unknown, refs: unknown[]): AvroNode {
  // A union of the references and the schema resolves names in order; the last member is ours.
  const union = parseAvroSchema([...refs, json]);
  if (union.kind !== 'union') throw new DataException('Unexpected Avro schema shape while resolving references');
  return union.types[union.types.length - 1];
}
