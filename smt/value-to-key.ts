/** ValueToKey: replace the record key with a new key built from fields of the value. */
import { ConfigDef, ParsedConfig } from '../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../runtime/errors.ts';
import { SchemaBuilder, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { SchemaCache } from './util/schema-util.ts';

const PURPOSE = 'copying fields from value to key';

export const VALUE_TO_KEY_CONFIG = new ConfigDef()
  .define({ name: 'fields', type: 'LIST', importance: 'HIGH', documentation: 'Field names on the record value to extract as the record key.' })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

export class ValueToKey implements Transformation {
  private fields: string[] = [];
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  config(): ConfigDef { return VALUE_TO_KEY_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(VALUE_TO_KEY_CONFIG, props);
    this.fields = c.getList('fields');
    if (this.fields.length === 0) throw new ConfigException('Invalid value [] for configuration fields: empty list is not supported', { key: 'fields' });
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
  }

  apply<R extends AnyRecord>(record: R): R {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE);
      const key: Record<string, unknown> = {};
      for (const f of this.fields) key[f] = value[f] ?? null;
      return record.newRecord({ keySchema: null, key }) as R;
    }
    const value = requireStruct(record.value, PURPOSE);
    const keySchema = this.cache.get(record.valueSchema, (s) => this.keySchemaFor(s));
    const key = new Struct(keySchema);
    for (const f of this.fields) key.put(f, this.replaceNullWithDefault ? value.get(f) : value.getWithoutDefault(f));
    return record.newRecord({ keySchema, key }) as R;
  }

  private keySchemaFor(valueSchema: Schema): Schema {
    const b = SchemaBuilder.struct();
    for (const name of this.fields) {
      const f = valueSchema.field(name);
      if (!f) throw new DataException(`Field does not exist: ${name}`);
      b.field(name, f.schema);
    }
    return b.build();
  }
}
