/**
 * InsertField$Key / $Value (org.apache.kafka.connect.transforms.InsertField): adds the record's
 * topic, partition, offset (sink records only) and timestamp, and a static value, as fields of the
 * key or value. A field spec suffixed `!` is a required field, `?` (the default) an optional one.
 * Null keys/values pass through unchanged.
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { ConfigException } from '../sdk/errors.ts';
import { SchemaBuilder, Schemas, type Schema, Struct, ConnectTimestamp } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireSinkRecord, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.ts';
import { REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey } from './util/config.ts';

const PURPOSE = 'field insertion';
const OPTIONALITY_DOC =
  'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).';
const OPTIONAL_TIMESTAMP = ConnectTimestamp.builder().optional().build();
const REQUIRED_TIMESTAMP = ConnectTimestamp.schema();

export const INSERT_FIELD_CONFIG = new ConfigDef()
  .define({
    name: 'topic.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: `Field name for Kafka topic. ${OPTIONALITY_DOC}`,
  })
  .define({
    name: 'partition.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: `Field name for Kafka partition. ${OPTIONALITY_DOC}`,
  })
  .define({
    name: 'offset.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: `Field name for Kafka offset - only applicable to sink connectors.<br/>${OPTIONALITY_DOC}`,
  })
  .define({
    name: 'timestamp.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: `Field name for record timestamp. ${OPTIONALITY_DOC}`,
  })
  .define({
    name: 'static.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: `Field name for static data field. ${OPTIONALITY_DOC}`,
  })
  .define({
    name: 'static.value',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: 'Static field value, if field name configured.',
  })
  .define(replaceNullWithDefaultKey());

interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null) return null;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
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

  config(): ConfigDef {
    return INSERT_FIELD_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(INSERT_FIELD_CONFIG, props);
    this.topic = parseSpec(c.getOptionalString('topic.field'));
    this.partition = parseSpec(c.getOptionalString('partition.field'));
    this.offset = parseSpec(c.getOptionalString('offset.field'));
    this.timestamp = parseSpec(c.getOptionalString('timestamp.field'));
    this.staticField = parseSpec(c.getOptionalString('static.field'));
    this.staticValue = c.getOptionalString('static.value');
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    if (!this.topic && !this.partition && !this.offset && !this.timestamp && !this.staticField) {
      throw new ConfigException(
        'No field insertion configured: set at least one of topic.field, partition.field, offset.field, timestamp.field or static.field',
      );
    }
    if (this.staticField && this.staticValue === null) {
      throw new ConfigException(
        `Invalid value null for configuration static.value: No value specified for static field: ${this.staticField.name}`,
        { key: 'static.value' },
      );
    }
  }

  apply<R extends AnyRecord>(record: R): R {
    const value = operatingValue(this.side, record);
    if (value === null || value === undefined) return record;
    const schema = operatingSchema(this.side, record);
    return schema === null ? this.applySchemaless(record, value) : this.applyWithSchema(record, value);
  }

  private applySchemaless<R extends AnyRecord>(record: R, value: unknown): R {
    const out: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
    if (this.topic) out[this.topic.name] = record.topic;
    if (this.partition && record.kafkaPartition !== null) out[this.partition.name] = record.kafkaPartition;
    if (this.offset) out[this.offset.name] = requireSinkRecord(record, PURPOSE).kafkaOffset;
    if (this.timestamp && record.timestamp !== null) out[this.timestamp.name] = record.timestamp;
    if (this.staticField && this.staticValue !== null) out[this.staticField.name] = this.staticValue;
    return withOperating(this.side, record, null, out);
  }

  private applyWithSchema<R extends AnyRecord>(record: R, value: unknown): R {
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.cache.get(struct.schema, (s) => this.makeUpdatedSchema(s));
    const updated = new Struct(updatedSchema);
    const outFields = updatedSchema.fields;
    const n = struct.schema.fields.length;
    // The input fields come first, in order: copy by position.
    for (let i = 0; i < n; i++) updated.put(outFields[i], fieldValue(struct, i, this.replaceNullWithDefault));
    if (this.topic) updated.put(this.topic.name, record.topic);
    if (this.partition && record.kafkaPartition !== null) updated.put(this.partition.name, record.kafkaPartition);
    if (this.offset) updated.put(this.offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset);
    if (this.timestamp && record.timestamp !== null) updated.put(this.timestamp.name, new Date(record.timestamp));
    if (this.staticField && this.staticValue !== null) updated.put(this.staticField.name, this.staticValue);
    return withOperating(this.side, record, updatedSchema, updated);
  }

  private makeUpdatedSchema(schema: Schema): Schema {
    const b = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields) b.field(f.name, f.schema);
    if (this.topic) b.field(this.topic.name, this.topic.optional ? Schemas.OPTIONAL_STRING : Schemas.STRING);
    if (this.partition) b.field(this.partition.name, this.partition.optional ? Schemas.OPTIONAL_INT32 : Schemas.INT32);
    if (this.offset) b.field(this.offset.name, this.offset.optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64);
    if (this.timestamp) b.field(this.timestamp.name, this.timestamp.optional ? OPTIONAL_TIMESTAMP : REQUIRED_TIMESTAMP);
    if (this.staticField)
      b.field(this.staticField.name, this.staticField.optional ? Schemas.OPTIONAL_STRING : Schemas.STRING);
    return b.build();
  }
}
