/**
 * ValueToKey (org.apache.kafka.connect.transforms.ValueToKey): replaces the record key with a struct
 * (or map, schemaless) of the listed value fields. As in Kafka Connect, the value must be a struct
 * or map: a tombstone fails (route tombstones around it with a RecordIsTombstone predicate).
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { DataException } from '../sdk/errors.ts';
import { SchemaBuilder, type Schema, Struct } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { fieldValue, SchemaCache } from './util/schema-util.ts';
import { REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey, SmtValidators } from './util/config.ts';

const PURPOSE = 'copying fields from value to key';

export const VALUE_TO_KEY_CONFIG = new ConfigDef()
  .define({
    name: 'fields',
    type: 'LIST',
    importance: 'HIGH',
    validator: SmtValidators.nonEmptyList(),
    documentation: 'Field names on the record value to extract as the record key.',
  })
  .define(replaceNullWithDefaultKey());

export class ValueToKey implements Transformation {
  private fields: string[] = [];
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache<{ schema: Schema; sources: number[] }>();

  config(): ConfigDef {
    return VALUE_TO_KEY_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(VALUE_TO_KEY_CONFIG, props);
    this.fields = c.getList('fields');
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends AnyRecord>(record: R): R {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE);
      const key: Record<string, unknown> = {};
      for (const f of this.fields) key[f] = value[f] ?? null;
      return record.newRecord({ keySchema: null, key }) as R;
    }
    const value = requireStruct(record.value, PURPOSE);
    const { schema, sources } = this.cache.get(value.schema, (s) => {
      const b = SchemaBuilder.struct();
      const idx: number[] = [];
      for (const name of this.fields) {
        const f = s.field(name);
        if (!f) throw new DataException(`Field does not exist: ${name}`);
        b.field(name, f.schema);
        idx.push(f.index);
      }
      return { schema: b.build(), sources: idx };
    });
    const key = new Struct(schema);
    for (let i = 0; i < sources.length; i++)
      key.put(schema.fields[i], fieldValue(value, sources[i], this.replaceNullWithDefault));
    return record.newRecord({ keySchema: schema, key }) as R;
  }
}
