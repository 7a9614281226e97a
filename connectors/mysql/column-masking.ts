/**
 * Debezium's column mappers on MySQL columns (MaskStrings, TruncateColumn): which columns a
 * `column.mask.*` / `column.truncate.*` rule changes, the value it then emits, and the schema
 * parameter it adds (`masked=true`, `truncateLength=<N>`). The schema type is unchanged.
 */
import type { ColumnMapperRule } from '../shared/column-mappers.ts';
import { mapColumnWith } from '../shared/column-mapping.ts';
import type { ColumnDefinition } from './schema/table-definition.ts';
import type { ColumnMapping } from './type-mapping.ts';

/** Types whose JDBC type is CHAR/VARCHAR/LONGVARCHAR in Debezium's MySQL type resolver: the ones masks apply to. */
const CHARACTER_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);
/** Types with a declared length (precision for DECIMAL, bits for BIT); the others have Debezium column length -1. */
const DECLARED_LENGTH_TYPES = new Set(['char', 'varchar', 'binary', 'varbinary', 'decimal', 'numeric', 'bit']);

export interface MappedColumn extends ColumnMapping {
  /** What a NULL becomes (a fixed mask replaces NULL too, as Debezium's MaskingValueConverter); undefined: stays NULL. */
  nullValue?: unknown;
  /** The rule's function of the converted value (`convert` is it after the column's own converter). */
  map?: (v: unknown) => unknown;
}

/** The column length Debezium's DDL parser records: the declared length, -1 when the type has none. */
export function declaredLength(c: ColumnDefinition): number {
  return DECLARED_LENGTH_TYPES.has(c.dataType) && c.length !== null ? c.length : -1;
}

export function applyColumnMapper(rule: ColumnMapperRule, c: ColumnDefinition, mapping: ColumnMapping): MappedColumn {
  const shaped = mapColumnWith(rule, {
    schema: mapping.schema,
    length: declaredLength(c),
    character: CHARACTER_TYPES.has(c.dataType) && !c.json,
  });
  const map = shaped.map;
  return {
    schema: shaped.schema,
    convert: map ? (v) => map(mapping.convert(v)) : mapping.convert,
    ...(map ? { map } : {}),
    ...(shaped.nullValue !== undefined ? { nullValue: shaped.nullValue } : {}),
  };
}
