/** ReplaceField$Key / $Value: keep (include), drop (exclude) and rename (renames) fields. */
import { ConfigDef, ParsedConfig } from '../runtime/config/config-def.ts';
import { ConfigException } from '../runtime/errors.ts';
import { SchemaBuilder } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, SchemaCache } from './util/schema-util.ts';

const PURPOSE = 'field replacement';

export const REPLACE_FIELD_CONFIG = new ConfigDef()
  .define({ name: 'exclude', type: 'LIST', defaultValue: '', importance: 'MEDIUM', documentation: 'Fields to exclude. This takes precedence over the fields to include.' })
  .define({ name: 'include', type: 'LIST', defaultValue: '', importance: 'MEDIUM', documentation: 'Fields to include. If specified, only these fields will be used.' })
  .define({ name: 'renames', type: 'LIST', defaultValue: '', importance: 'MEDIUM', documentation: 'Field rename mappings, as a list of colon-delimited pairs, e.g. foo:bar,abc:xyz' })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

export class ReplaceField implements Transformation {
  private exclude = new Set<string>();
  private include = new Set<string>();
  private renames = new Map<string, string>();
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return REPLACE_FIELD_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    for (const [old, now] of [['blacklist', 'exclude'], ['whitelist', 'include']]) {
      if (props[old] !== undefined) throw new ConfigException(`ReplaceField no longer supports "${old}" (removed in Kafka 4.0): use "${now}" instead`, { key: old });
    }
    const c = new ParsedConfig(REPLACE_FIELD_CONFIG, props);
    this.exclude = new Set(c.getList('exclude'));
    this.include = new Set(c.getList('include'));
    this.renames = new Map(
      c.getList('renames').map((pair) => {
        const parts = pair.split(':');
        if (parts.length !== 2 || !parts[0] || !parts[1]) throw new ConfigException(`Invalid value ${pair} for configuration renames: Invalid rename mapping: ${pair}; use old:new`, { key: 'renames' });
        return [parts[0], parts[1]] as [string, string];
      }),
    );
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
  }

  private filter(name: string): boolean {
    return !this.exclude.has(name) && (this.include.size === 0 || this.include.has(name));
  }

  private renamed(name: string): string {
    return this.renames.get(name) ?? name;
  }

  apply<R extends AnyRecord>(record: R): R {
    const value = operatingValue(this.side, record);
    if (value === null || value === undefined) return record;
    const schema = operatingSchema(this.side, record);
    if (schema === null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(requireMap(value, PURPOSE))) if (this.filter(k)) out[this.renamed(k)] = v;
      return withOperating(this.side, record, null, out);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.cache.get(schema, (s) => {
      const b = copySchemaBasics(s, SchemaBuilder.struct());
      for (const f of s.fields) if (this.filter(f.name)) b.field(this.renamed(f.name), f.schema);
      return b.build();
    });
    const updated = new Struct(updatedSchema);
    for (const f of struct.schema.fields) {
      if (this.filter(f.name)) updated.put(this.renamed(f.name), this.replaceNullWithDefault ? struct.get(f) : struct.getWithoutDefault(f.name));
    }
    return withOperating(this.side, record, updatedSchema, updated);
  }
}
