/** InsertField$Key / $Value: adds topic, partition, offset, timestamp and a static field (Kafka Connect's InsertField). */
import { ConfigDef, ParsedConfig } from '../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../runtime/errors.ts';
import { SchemaBuilder, Schemas, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { ConnectTimestamp } from '../runtime/data/logical.ts';
import { SinkRecord } from '../runtime/data/records.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, SchemaCache } from './util/schema-util.ts';

const PURPOSE = 'field insertion';
const field = (name: string, doc: string) => ({ name, type: 'STRING' as const, defaultValue: null, importance: 'MEDIUM' as const, documentation: `${doc} Suffix with ! to make this a required field, or ? to keep it optional (the default).` });

export const INSERT_FIELD_CONFIG = new ConfigDef()
  .define(field('topic.field', 'Field name for Kafka topic.'))
  .define(field('partition.field', 'Field name for Kafka partition.'))
  .define(field('offset.field', 'Field name for Kafka offset - only applicable to sink connectors.'))
  .define(field('timestamp.field', 'Field name for record timestamp.'))
  .define({ name: 'static.field', type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation: 'Field name for static data field. Suffix with ! to make this a required field, or ? to keep it optional (the default).' })
  .define({ name: 'static.value', type: 'STRING', defaultValue: null, importance: 'MEDIUM', documentation: 'Static field value, if field name configured.' })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

interface InsertionSpec {
  name: string;
  optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null || spec === '') return null;
  const last = spec[spec.length - 1];
  if (last === '?') return { name: spec.slice(0, -1), optional: true };
  if (last === '!') return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

export class InsertField implements Transformation {
  private topic: InsertionSpec | null = null;
  private partition: InsertionSpec | null = null;
  private offset: InsertionSpec | null = null;
  private timestamp: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return INSERT_FIELD_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(INSERT_FIELD_CONFIG, props);
    this.topic = parseSpec(c.getOptionalString('topic.field'));
    this.partition = parseSpec(c.getOptionalString('partition.field'));
    this.offset = parseSpec(c.getOptionalString('offset.field'));
    this.timestamp = parseSpec(c.getOptionalString('timestamp.field'));
    this.staticField = parseSpec(c.getOptionalString('static.field'));
    this.staticValue = c.getOptionalString('static.value');
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
    if (!this.topic && !this.partition && !this.offset && !this.timestamp && !this.staticField) {
      throw new ConfigException('No field insertion configured: set at least one of topic.field, partition.field, offset.field, timestamp.field, static.field');
    }
    if (this.staticField && this.staticValue === null) throw new ConfigException('static.field is set but static.value is not: give the value to insert', { key: 'static.value' });
  }

  apply<R extends AnyRecord>(record: R): R {
    const value = operatingValue(this.side, record);
    if (value === null || value === undefined) return record;
    if (this.offset && !(record instanceof SinkRecord)) {
      throw new DataException(`Offset insertion is only supported for sink connectors, record is of type: ${record.constructor.name}`);
    }
    const schema = operatingSchema(this.side, record);
    return schema === null ? this.applySchemaless(record, value) : this.applyWithSchema(record, schema, value);
  }

  private applySchemaless<R extends AnyRecord>(record: R, value: unknown): R {
    const out: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
    if (this.topic) out[this.topic.name] = record.topic;
    if (this.partition) out[this.partition.name] = record.kafkaPartition;
    if (this.offset) out[this.offset.name] = (record as unknown as SinkRecord).kafkaOffset;
    if (this.timestamp) out[this.timestamp.name] = record.timestamp;
    if (this.staticField) out[this.staticField.name] = this.staticValue;
    return withOperating(this.side, record, null, out);
  }

  private applyWithSchema<R extends AnyRecord>(record: R, schema: Schema, value: unknown): R {
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.cache.get(schema, (s) => this.makeUpdatedSchema(s));
    const updated = new Struct(updatedSchema);
    const fields = struct.schema.fields;
    const outFields = updatedSchema.fields;
    for (let i = 0; i < fields.length; i++) updated.put(outFields[i], this.replaceNullWithDefault ? struct.get(fields[i]) : struct.valueAt(i));
    if (this.topic) updated.put(this.topic.name, record.topic);
    if (this.partition && record.kafkaPartition !== null) updated.put(this.partition.name, record.kafkaPartition);
    if (this.offset) updated.put(this.offset.name, (record as unknown as SinkRecord).kafkaOffset);
    if (this.timestamp && record.timestamp !== null) updated.put(this.timestamp.name, new Date(record.timestamp));
    if (this.staticField && this.staticValue !== null) updated.put(this.staticField.name, this.staticValue);
    return withOperating(this.side, record, updatedSchema, updated);
  }

  private makeUpdatedSchema(schema: Schema): Schema {
    const b = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields) b.field(f.name, f.schema);
    const opt = (spec: InsertionSpec, optional: Schema, required: Schema) => b.field(spec.name, spec.optional ? optional : required);
    if (this.topic) opt(this.topic, Schemas.OPTIONAL_STRING, Schemas.STRING);
    if (this.partition) opt(this.partition, Schemas.OPTIONAL_INT32, Schemas.INT32);
    if (this.offset) opt(this.offset, Schemas.OPTIONAL_INT64, Schemas.INT64);
    if (this.timestamp) opt(this.timestamp, ConnectTimestamp.builder().optional().build(), ConnectTimestamp.schema());
    if (this.staticField) opt(this.staticField, Schemas.OPTIONAL_STRING, Schemas.STRING);
    return b.build();
  }
}
