/**
 * Connect schemas to and from the JSON of JsonConverter's envelopes (`JsonConverter.asJsonSchema` /
 * `asConnectSchema`): attributes in Kafka's order, `float`/`double` wire names, defaults through the
 * value writer and reader, both directions cached.
 */
import { DataException } from '../errors.ts';
import { type Schema, type SchemaType, SchemaBuilder } from '../data/schema.ts';
import { jacksonQuote } from './json-bytes.ts';
import type { JsonValueWriter } from './json-value-writer.ts';
import type { JsonValueReader } from './json-value-reader.ts';

const WIRE_TYPE: Record<SchemaType, string> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
};
const FROM_WIRE: Record<string, SchemaType> = Object.fromEntries(
  Object.entries(WIRE_TYPE).map(([k, v]) => [v, k as SchemaType]),
);

export class JsonSchemaTranslator {
  private readonly schemaJsonCache = new WeakMap<Schema, string>();
  private readonly fromJsonCache = new Map<string, Schema>();

  constructor(
    private readonly values: JsonValueWriter,
    private readonly json: JsonValueReader,
    private readonly cacheSize: number,
  ) {}

  /** The schema as Kafka Connect's JsonConverter.asJsonSchema writes it (attribute order matters). */
  schemaJson(schema: Schema, fieldName?: string): string {
    if (fieldName === undefined) {
      const cached = this.schemaJsonCache.get(schema);
      if (cached) return cached;
    }
    const parts = [`"type":"${WIRE_TYPE[schema.type]}"`];
    if (schema.type === 'struct')
      parts.push(`"fields":[${schema.fields.map((f) => this.schemaJson(f.schema, f.name)).join(',')}]`);
    // No element schema (Values.parseString of `[1,"a"]`, Kafka's arrayOfNull/mapWithNullValues): Kafka writes null.
    if (schema.type === 'array')
      parts.push(`"items":${schema.valueSchema ? this.schemaJson(schema.valueSchema) : 'null'}`);
    if (schema.type === 'map')
      parts.push(
        `"keys":${this.schemaJson(schema.keySchema!)}`,
        `"values":${schema.valueSchema ? this.schemaJson(schema.valueSchema) : 'null'}`,
      );
    parts.push(`"optional":${schema.optional}`);
    if (schema.name !== undefined) parts.push(`"name":${jacksonQuote(schema.name)}`);
    if (schema.version !== undefined) parts.push(`"version":${schema.version}`);
    if (schema.doc !== undefined) parts.push(`"doc":${jacksonQuote(schema.doc)}`);
    if (schema.parameters !== undefined)
      parts.push(
        `"parameters":{${Object.entries(schema.parameters)
          .map(([k, v]) => `${jacksonQuote(k)}:${jacksonQuote(v)}`)
          .join(',')}}`,
      );
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      parts.push(`"default":${this.values.valueToJson(schema, schema.defaultValue, 'default')}`);
    if (fieldName !== undefined) parts.push(`"field":${jacksonQuote(fieldName)}`);
    const text = `{${parts.join(',')}}`;
    if (fieldName === undefined) this.schemaJsonCache.set(schema, text);
    return text;
  }

  schemaFromJson(json: unknown): Schema {
    const key = JSON.stringify(json, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const cached = this.fromJsonCache.get(key);
    if (cached) return cached;
    const schema = this.buildSchema(json);
    if (this.cacheSize > 0) {
      if (this.fromJsonCache.size >= this.cacheSize) this.fromJsonCache.delete(this.fromJsonCache.keys().next().value!);
      this.fromJsonCache.set(key, schema);
    }
    return schema;
  }

  private buildSchema(json: unknown): Schema {
    const j = json as Record<string, unknown>;
    if (j === null || typeof j !== 'object') throw new DataException('Schema must be a JSON object');
    const type = FROM_WIRE[String(j.type)];
    if (!type) throw new DataException(`Unknown schema type: ${String(j.type)}`);
    let b: SchemaBuilder;
    if (type === 'array') {
      if (!j.items) throw new DataException('Array schema did not specify the items type');
      b = SchemaBuilder.array(this.buildSchema(j.items));
    } else if (type === 'map') {
      if (!j.keys || !j.values) throw new DataException('Map schema did not specify the key and value types');
      b = SchemaBuilder.map(this.buildSchema(j.keys), this.buildSchema(j.values));
    } else {
      b = new SchemaBuilder(type);
      if (type === 'struct') {
        if (!Array.isArray(j.fields)) throw new DataException('Struct schema\'s "fields" argument is not an array.');
        for (const f of j.fields as Array<Record<string, unknown>>) {
          if (typeof f.field !== 'string') throw new DataException("Struct schema's field name not specified properly");
          b.field(f.field, this.buildSchema(f));
        }
      }
    }
    if (j.optional === true) b.optional();
    if (typeof j.name === 'string') b.name(j.name);
    if (typeof j.version === 'number') b.version(j.version);
    if (typeof j.doc === 'string') b.doc(j.doc);
    if (j.parameters && typeof j.parameters === 'object') b.parameters(j.parameters as Record<string, string>);
    if (j.default !== undefined && j.default !== null) {
      const partial = b.build();
      b.defaultValue(this.json.jsonToValue(partial, j.default, 'default'));
    }
    return b.build();
  }
}
