/**
 * FieldPathTransformation: the common shape of a single message transform that rewrites one field
 * (or the whole key or value) of a record. The subclass implements `transformField()`; the base
 * class reads the `field` setting (a dotted path such as `after.email`; empty for the whole key or
 * value), walks structs (with schema) and plain objects or Maps (schemaless), and rebuilds the
 * parents of the field. One class serves both variants: `$Key` and `$Value` are two descriptors
 * made by {@link keyValueTransformations}.
 */
import { ConfigDef, ParsedConfig } from '../runtime/config/config-def.ts';
import { DataException } from '../runtime/errors.ts';
import { SchemaBuilder, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import type { PluginDescriptor } from '../runtime/plugins/types.ts';

/** Which part of a record a `$Key` / `$Value` transform works on. */
export type RecordPart = 'key' | 'value';

/** The `field` key every FieldPathTransformation understands. */
export const FIELD_PATH_CONFIG = new ConfigDef().define({
  name: 'field',
  type: 'STRING',
  defaultValue: '',
  importance: 'HIGH',
  documentation: 'Dotted path of the field to transform (e.g. after.email); empty transforms the whole key or value.',
});

/**
 * Base class of a `$Key`/`$Value` field transform. `transformField` receives the field's value
 * (never null: null values pass through unchanged) and its schema (null for schemaless data);
 * override `transformFieldSchema` when the transform changes the field's type.
 *
 * Transforms run synchronously on the task's loop and must be pure: same input, same output.
 */
export abstract class FieldPathTransformation<R extends AnyRecord = AnyRecord> implements Transformation<R> {
  protected path: string[] = [];

  constructor(protected readonly part: RecordPart) {}

  /** The transform's own keys; `field` is added by the base class. */
  protected ownConfig(): ConfigDef {
    return new ConfigDef();
  }

  /** Reads the transform's own settings (already validated against ownConfig()). */
  protected onConfigure(_values: Readonly<Record<string, unknown>>): void {}

  /** The new value of the field. */
  protected abstract transformField(value: unknown, schema: Schema | null, record: R): unknown;

  /** The new schema of the field; the default keeps it. */
  protected transformFieldSchema(schema: Schema): Schema {
    return schema;
  }

  config(): ConfigDef {
    return new ConfigDef().merge(FIELD_PATH_CONFIG).merge(this.ownConfig());
  }

  configure(props: Record<string, string>): void {
    const parsed = new ParsedConfig(this.config(), props);
    const field = (parsed.values.field as string).trim();
    this.path = field === '' ? [] : field.split('.');
    if (this.path.some((p) => p === ''))
      throw new DataException(
        `Invalid value ${field} for configuration field: empty path segment (use names separated by single dots, e.g. after.email)`,
      );
    this.onConfigure(parsed.values);
  }

  apply(record: R): R {
    const schema = this.part === 'key' ? record.keySchema : record.valueSchema;
    const value = this.part === 'key' ? record.key : record.value;
    if (value === null || value === undefined) return record;
    const [newSchema, newValue] = this.rewrite(schema, value, 0, record);
    return this.part === 'key'
      ? record.newRecord({ keySchema: newSchema, key: newValue })
      : record.newRecord({ valueSchema: newSchema, value: newValue });
  }

  private rewrite(schema: Schema | null, value: unknown, depth: number, record: R): [Schema | null, unknown] {
    if (value === null || value === undefined) return [schema, value];
    if (depth === this.path.length)
      return [schema ? this.transformFieldSchema(schema) : null, this.transformField(value, schema, record)];
    const name = this.path[depth];
    const where = () => `${this.part} field ${this.path.slice(0, depth + 1).join('.')}`;
    if (value instanceof Struct) {
      const field = value.schema.field(name);
      if (!field)
        throw new DataException(
          `No ${where()} in the record's ${this.part} schema (fields: ${value.schema.fields.map((f) => f.name).join(', ')})`,
        );
      const [childSchema, childValue] = this.rewrite(field.schema, value.getWithoutDefault(name), depth + 1, record);
      const outSchema = childSchema === field.schema ? value.schema : withFieldSchema(value.schema, name, childSchema!);
      const out = new Struct(outSchema);
      for (const f of value.schema.fields)
        out.put(f.name, f.name === name ? childValue : value.getWithoutDefault(f.name));
      return [outSchema, out];
    }
    if (value instanceof Map) {
      if (!value.has(name)) return [schema, value];
      const copy = new Map(value);
      copy.set(name, this.rewrite(null, value.get(name), depth + 1, record)[1]);
      return [schema, copy];
    }
    if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) {
      const obj = value as Record<string, unknown>;
      if (!(name in obj)) return [schema, value];
      return [schema, { ...obj, [name]: this.rewrite(null, obj[name], depth + 1, record)[1] }];
    }
    throw new DataException(
      `Cannot reach ${where()}: the ${this.part} at ${this.path.slice(0, depth).join('.') || 'the top'} is not a struct or object`,
    );
  }
}

function withFieldSchema(struct: Schema, name: string, fieldSchema: Schema): Schema {
  const b = SchemaBuilder.from(struct);
  for (const f of struct.fields) b.field(f.name, f.name === name ? fieldSchema : f.schema);
  return b.build();
}

/**
 * The two descriptors of a `$Key`/`$Value` transform, named `<className>$Key` and
 * `<className>$Value` (simple names and `aliases` with the suffix find them too).
 */
export function keyValueTransformations(
  className: string,
  version: string,
  create: (part: RecordPart) => Transformation,
  aliases: string[] = [],
): PluginDescriptor[] {
  return (['Key', 'Value'] as const).map((suffix) => ({
    type: 'transformation' as const,
    className: `${className}$${suffix}`,
    aliases: aliases.map((a) => `${a}$${suffix}`),
    version,
    create: () => create(suffix === 'Key' ? 'key' : 'value'),
  }));
}
