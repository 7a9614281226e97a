/**
 * ReplaceField$Key / $Value (org.apache.kafka.connect.transforms.ReplaceField): keeps (`include`),
 * drops (`exclude`, which wins) and renames (`renames=old:new,…`) fields of a struct or map. The
 * pre-4.0 keys `whitelist` / `blacklist` are still read as deprecated aliases of `include` / `exclude`
 * (the new key wins when both are set), so Kafka Connect 3.x configs load unchanged.
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { SchemaBuilder, type Schema, Struct } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.ts';
import { invalid, REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey } from './util/config.ts';
import { smtLogger } from './util/log.ts';

const PURPOSE = 'field replacement';

/** `old:new` pairs, split as Java's String#split(":") does (trailing empty parts dropped). */
export function parseRenameMappings(mappings: readonly string[], key = 'renames'): Map<string, string> {
  const m = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = mapping.split(':');
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length !== 2) throw invalid(key, mappings, `Invalid rename mapping: ${mapping}`);
    m.set(parts[0], parts[1]);
  }
  return m;
}

export const REPLACE_FIELD_CONFIG = new ConfigDef()
  .define({
    name: 'exclude',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'Fields to exclude. This takes precedence over the fields to include.',
    deprecatedAliases: ['blacklist'],
  })
  .define({
    name: 'include',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'Fields to include. If specified, only these fields will be used.',
    deprecatedAliases: ['whitelist'],
  })
  .define({
    name: 'renames',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'Field rename mappings.',
    validator: {
      description: 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
      ensureValid: (_name, value) => {
        parseRenameMappings(value as string[]);
      },
    },
  })
  .define(replaceNullWithDefaultKey());

export class ReplaceField implements Transformation {
  private exclude = new Set<string>();
  private include = new Set<string>();
  private renames = new Map<string, string>();
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache<{ schema: Schema; sources: number[] }>();

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return REPLACE_FIELD_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const translated = { ...props };
    for (const [now, old] of [
      ['exclude', 'blacklist'],
      ['include', 'whitelist'],
    ] as const) {
      if (props[old] === undefined) continue;
      if (props[now] === undefined) translated[now] = props[old];
      smtLogger('org.apache.kafka.connect.transforms.ReplaceField').warn(
        `ReplaceField: "${old}" is deprecated (removed in Kafka Connect 4.0); use "${now}"${props[now] === undefined ? '' : `; "${old}" is ignored because "${now}" is set`}`,
      );
    }
    const c = new ParsedConfig(REPLACE_FIELD_CONFIG, translated);
    this.exclude = new Set(c.getList('exclude'));
    this.include = new Set(c.getList('include'));
    this.renames = parseRenameMappings(c.getList('renames'));
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
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
    if (operatingSchema(this.side, record) === null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(requireMap(value, PURPOSE))) if (this.filter(k)) out[this.renamed(k)] = v;
      return withOperating(this.side, record, null, out);
    }
    const struct = requireStruct(value, PURPOSE);
    const { schema, sources } = this.cache.get(struct.schema, (s) => {
      const b = copySchemaBasics(s, SchemaBuilder.struct());
      const kept: number[] = [];
      for (const f of s.fields) {
        if (!this.filter(f.name)) continue;
        b.field(this.renamed(f.name), f.schema);
        kept.push(f.index);
      }
      return { schema: b.build(), sources: kept };
    });
    const updated = new Struct(schema);
    for (let i = 0; i < sources.length; i++)
      updated.put(schema.fields[i], fieldValue(struct, sources[i], this.replaceNullWithDefault));
    return withOperating(this.side, record, schema, updated);
  }
}
