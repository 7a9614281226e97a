/** Filter, DropHeaders, InsertHeader and HeaderFrom$Key / $Value. */
import { ConfigDef, ParsedConfig, Validators } from '../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../runtime/errors.ts';
import { SchemaBuilder, Schemas, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, SchemaCache } from './util/schema-util.ts';

const EMPTY = new ConfigDef();

/** Filter: drops every record it is applied to (use it with a predicate). */
export class Filter implements Transformation {
  config(): ConfigDef { return EMPTY; }
  version(): string { return '1.0.0'; }
  configure(): void {}
  apply(): null {
    return null;
  }
}

export const DROP_HEADERS_CONFIG = new ConfigDef()
  .define({ name: 'headers', type: 'LIST', importance: 'HIGH', documentation: 'The name of the headers to be removed.' });

export class DropHeaders implements Transformation {
  private names = new Set<string>();
  config(): ConfigDef { return DROP_HEADERS_CONFIG; }
  version(): string { return '1.0.0'; }
  configure(props: Record<string, string>): void {
    const list = new ParsedConfig(DROP_HEADERS_CONFIG, props).getList('headers');
    if (list.length === 0) throw new ConfigException('Invalid value [] for configuration headers: empty list is not supported', { key: 'headers' });
    this.names = new Set(list);
  }
  apply<R extends AnyRecord>(record: R): R {
    const headers = record.headers.duplicate();
    for (const n of this.names) headers.remove(n);
    return record.newRecord({ headers }) as R;
  }
}

export const INSERT_HEADER_CONFIG = new ConfigDef()
  .define({ name: 'header', type: 'STRING', importance: 'HIGH', documentation: 'The name of the header.', validator: Validators.nonEmptyString() })
  .define({ name: 'value.literal', type: 'STRING', importance: 'HIGH', documentation: 'The literal value that is to be set as the header value on all records.' });

/** Values.parseString for the literal forms users write: booleans, integers, decimals, otherwise a string. */
export function parseLiteral(text: string): { schema: Schema; value: unknown } {
  if (text === 'true' || text === 'false') return { schema: Schemas.BOOLEAN, value: text === 'true' };
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    if (n >= -128 && n <= 127) return { schema: Schemas.INT8, value: n };
    if (n >= -32768 && n <= 32767) return { schema: Schemas.INT16, value: n };
    if (n >= -2147483648 && n <= 2147483647) return { schema: Schemas.INT32, value: n };
    if (Number.isSafeInteger(n)) return { schema: Schemas.INT64, value: n };
    return { schema: Schemas.INT64, value: BigInt(text) };
  }
  if (/^-?\d+\.\d+([eE][+-]?\d+)?$/.test(text)) return { schema: Schemas.FLOAT64, value: Number(text) };
  return { schema: Schemas.STRING, value: text };
}

export class InsertHeader implements Transformation {
  private header = '';
  private literal!: { schema: Schema; value: unknown };
  config(): ConfigDef { return INSERT_HEADER_CONFIG; }
  version(): string { return '1.0.0'; }
  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(INSERT_HEADER_CONFIG, props);
    this.header = c.getString('header');
    this.literal = parseLiteral(c.getString('value.literal'));
  }
  apply<R extends AnyRecord>(record: R): R {
    const headers = record.headers.duplicate().add(this.header, this.literal.value, this.literal.schema);
    return record.newRecord({ headers }) as R;
  }
}

export const HEADER_FROM_CONFIG = new ConfigDef()
  .define({ name: 'fields', type: 'LIST', importance: 'HIGH', documentation: 'Field names in the record whose values are to be copied or moved to headers.' })
  .define({ name: 'headers', type: 'LIST', importance: 'HIGH', documentation: 'Header names, in the same order as the field names listed in the fields configuration property.' })
  .define({ name: 'operation', type: 'STRING', importance: 'HIGH', documentation: 'Either move if the fields are to be moved to the headers (removed from the key/value), or copy if the fields are to be copied to the headers (retained in the key/value).', validator: Validators.in('move', 'copy') })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

export class HeaderFrom implements Transformation {
  private fields: string[] = [];
  private headerNames: string[] = [];
  private move = false;
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return HEADER_FROM_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(HEADER_FROM_CONFIG, props);
    this.fields = c.getList('fields');
    this.headerNames = c.getList('headers');
    if (this.fields.length !== this.headerNames.length) throw new ConfigException('\'fields\' config must have the same number of elements as \'headers\' config.', { key: 'headers' });
    this.move = c.getString('operation') === 'move';
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record);
    if (value === null || value === undefined) return record;
    const headers = record.headers.duplicate();
    if (schema === null) {
      const map = { ...requireMap(value, 'header ' + (this.move ? 'move' : 'copy')) };
      this.fields.forEach((f, i) => {
        headers.add(this.headerNames[i], map[f] ?? null, null);
        if (this.move) delete map[f];
      });
      return withOperating(this.side, record, null, map).newRecord({ headers }) as R;
    }
    const struct = requireStruct(value, 'header ' + (this.move ? 'move' : 'copy'));
    this.fields.forEach((f, i) => {
      const field = schema.field(f);
      if (!field) throw new DataException(`Field ${f} not found in schema ${schema.name ?? ''}`);
      headers.add(this.headerNames[i], this.replaceNullWithDefault ? struct.get(field) : struct.getWithoutDefault(f), field.schema);
    });
    if (!this.move) return record.newRecord({ headers }) as R;
    const updatedSchema = this.cache.get(schema, (s) => {
      const b = copySchemaBasics(s, SchemaBuilder.struct());
      for (const f of s.fields) if (!this.fields.includes(f.name)) b.field(f.name, f.schema);
      return b.build();
    });
    const updated = new Struct(updatedSchema);
    for (const f of updatedSchema.fields) updated.put(f.name, struct.getWithoutDefault(f.name));
    return withOperating(this.side, record, updatedSchema, updated).newRecord({ headers }) as R;
  }
}
