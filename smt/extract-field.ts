/** ExtractField$Key / $Value: replace the key or value with one of its fields (field.syntax.version V1). */
import { ConfigDef, ParsedConfig, Validators } from '../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../runtime/errors.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMapOrNull, requireStructOrNull } from './util/requirements.ts';

const PURPOSE = 'field extraction';

export const EXTRACT_FIELD_CONFIG = new ConfigDef()
  .define({ name: 'field', type: 'STRING', importance: 'MEDIUM', documentation: 'Field name to extract.', validator: Validators.nonEmptyString() })
  .define({ name: 'field.syntax.version', type: 'STRING', defaultValue: 'V1', importance: 'LOW', documentation: 'Field syntax: V1 (a top-level field name, dots included). V2 (nested paths) is not supported yet.', validator: Validators.in('V1', 'V2') })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

export class ExtractField implements Transformation {
  private field = '';
  private replaceNullWithDefault = true;

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return EXTRACT_FIELD_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(EXTRACT_FIELD_CONFIG, props);
    if (c.getString('field.syntax.version').toUpperCase() === 'V2') {
      throw new ConfigException('field.syntax.version=V2 (nested field paths, KIP-821) is not supported by ExtractField yet; use V1 with a top-level field, or Flatten first', { key: 'field.syntax.version' });
    }
    this.field = c.getString('field');
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record);
    if (schema === null) {
      const map = requireMapOrNull(value, PURPOSE);
      return withOperating(this.side, record, null, map === null ? null : (map[this.field] ?? null));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const f = schema.field(this.field);
    if (!f) throw new DataException(`Unknown field: ${this.field}`);
    const extracted = struct === null ? null : this.replaceNullWithDefault ? struct.get(f) : struct.getWithoutDefault(f.name);
    return withOperating(this.side, record, f.schema, extracted);
  }
}
