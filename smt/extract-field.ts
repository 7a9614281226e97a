/**
 * ExtractField$Key / $Value (org.apache.kafka.connect.transforms.ExtractField): replaces the key or
 * value with one of its fields. `field.syntax.version=V2` (KIP-821) takes a dotted path into nested
 * structs/maps (backticks around a step containing dots). Null keys/values pass through as null;
 * with a schema, a path that does not exist in it fails with "Unknown field: <path>".
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { DataException } from '../sdk/errors.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMapOrNull, requireStructOrNull } from './util/requirements.ts';
import { REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey } from './util/config.ts';
import {
  FIELD_SYNTAX_VERSION_CONFIG,
  fieldSyntaxVersion,
  fieldSyntaxVersionKey,
  SingleFieldPath,
} from './util/field-path.ts';

const PURPOSE = 'field extraction';

export const EXTRACT_FIELD_CONFIG = new ConfigDef()
  .define({ name: 'field', type: 'STRING', importance: 'MEDIUM', documentation: 'Field name to extract.' })
  .define(replaceNullWithDefaultKey())
  .define(fieldSyntaxVersionKey());

export class ExtractField implements Transformation {
  private path!: SingleFieldPath;
  private replaceNullWithDefault = true;

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return EXTRACT_FIELD_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(EXTRACT_FIELD_CONFIG, props);
    this.path = new SingleFieldPath(c.getString('field'), fieldSyntaxVersion(c.getString(FIELD_SYNTAX_VERSION_CONFIG)));
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record);
    if (schema === null) {
      const map = requireMapOrNull(value, PURPOSE);
      return withOperating(this.side, record, null, map === null ? null : this.path.valueFromMap(map));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const field = this.path.fieldFrom(schema);
    if (!field) throw new DataException(`Unknown field: ${this.path.path}`);
    return withOperating(
      this.side,
      record,
      field.schema,
      struct === null ? null : this.path.valueFromStruct(struct, this.replaceNullWithDefault),
    );
  }
}
