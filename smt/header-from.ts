/**
 * HeaderFrom$Key / $Value (org.apache.kafka.connect.transforms.HeaderFrom): copies (`operation=copy`)
 * or moves (`move`: also removed from the key/value) the listed fields into headers, pairing
 * `fields[i]` with `headers[i]`. With a schema the header carries the field's schema. Null
 * keys/values pass through unchanged.
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { ConfigException, DataException } from '../sdk/errors.ts';
import { SchemaBuilder, type Schema, Struct } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.ts';
import { REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey, SmtValidators } from './util/config.ts';

export const HEADER_FROM_CONFIG = new ConfigDef()
  .define({
    name: 'fields',
    type: 'LIST',
    importance: 'HIGH',
    validator: SmtValidators.nonEmptyList(),
    documentation: 'Field names in the record whose values are to be copied or moved to headers.',
  })
  .define({
    name: 'headers',
    type: 'LIST',
    importance: 'HIGH',
    validator: SmtValidators.nonEmptyList(),
    documentation: 'Header names, in the same order as the field names listed in the fields configuration property.',
  })
  .define({
    name: 'operation',
    type: 'STRING',
    importance: 'HIGH',
    validator: SmtValidators.validString('move', 'copy'),
    documentation:
      'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
  })
  .define(replaceNullWithDefaultKey());

export class HeaderFrom implements Transformation {
  private fields: string[] = [];
  private headerNames: string[] = [];
  private move = false;
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache<{ schema: Schema; sources: number[] }>();

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return HEADER_FROM_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(HEADER_FROM_CONFIG, props);
    this.fields = c.getList('fields');
    this.headerNames = c.getList('headers');
    if (this.fields.length !== this.headerNames.length)
      throw new ConfigException("'fields' config must have the same number of elements as 'headers' config.", {
        key: 'headers',
      });
    this.move = c.getString('operation') === 'move';
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends AnyRecord>(record: R): R {
    // No tombstone pass-through: Kafka's HeaderFrom (3.9) requires a Struct or Map and fails on null.
    const value = operatingValue(this.side, record);
    const schema = operatingSchema(this.side, record);
    const purpose = `header ${this.move ? 'move' : 'copy'}`;
    const headers = record.headers.duplicate();
    let updatedSchema = schema;
    let updatedValue: unknown = value;
    if (schema === null) {
      const map = requireMap(value, purpose);
      const out: Record<string, unknown> = { ...map };
      this.fields.forEach((f, i) => {
        if (this.move) delete out[f];
        headers.add(this.headerNames[i], map[f] ?? null, null);
      });
      updatedValue = out;
    } else {
      const struct = requireStruct(value, purpose);
      this.fields.forEach((f, i) => {
        const field = struct.schema.field(f);
        if (!field)
          throw new DataException(
            `${purpose}: field ${f} does not exist in schema ${String(struct.schema)} (fields: ${struct.schema.fields.map((x) => x.name).join(', ')})`,
          );
        headers.add(this.headerNames[i], fieldValue(struct, field.index, this.replaceNullWithDefault), field.schema);
      });
      if (this.move) {
        const { schema: moved, sources } = this.cache.get(struct.schema, (s) => {
          const b = copySchemaBasics(s, SchemaBuilder.struct());
          const idx: number[] = [];
          for (const f of s.fields)
            if (!this.fields.includes(f.name)) {
              b.field(f.name, f.schema);
              idx.push(f.index);
            }
          return { schema: b.build(), sources: idx };
        });
        const out = new Struct(moved);
        for (let i = 0; i < sources.length; i++)
          out.put(moved.fields[i], fieldValue(struct, sources[i], this.replaceNullWithDefault));
        updatedSchema = moved;
        updatedValue = out;
      }
    }
    return (
      this.side === 'key'
        ? record.newRecord({ keySchema: updatedSchema, key: updatedValue, headers })
        : record.newRecord({ valueSchema: updatedSchema, value: updatedValue, headers })
    ) as R;
  }
}
