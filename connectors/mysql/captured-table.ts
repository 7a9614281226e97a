/**
 * A captured table's Debezium schemas and converters: topic, key/value/envelope schemas and the
 * functions that turn a decoded row image into key and value structs. Rebuilt whenever the table's
 * structure changes.
 */
import { passesTypeCheck, type Schema, Struct, type TypeCheck, typeCheckOf } from '../../sdk/data.ts';
import { DataException } from '../../sdk/errors.ts';
import type { ColumnMappers } from '../shared/column-mappers.ts';
import { dataChangeTopic, envelopeSchema, keySchema, rowSchema } from '../shared/debezium/index.ts';
import type { MessageKeyColumns } from '../shared/message-key-columns.ts';
import type { RowImage } from './binlog/events/rows.ts';
import type { RowValue } from './binlog/row-values.ts';
import { applyColumnMapper } from './column-masking.ts';
import type { Filters } from './filters.ts';
import { sourceSchemaFor, type Flavor } from './source-info.ts';
import type { TableDefinition } from './schema/table-definition.ts';
import { mapColumn, type TypeModes, type ValueConverter } from './type-mapping.ts';

/** `unavailable`: what stands for the column when a NOBLOB row image leaves it out (BLOB/TEXT columns only). */
interface IncludedColumn {
  index: number;
  name: string;
  convert: ValueConverter;
  /** A column mapper's function of the converted value (value fields only). */
  map?: (v: unknown) => unknown;
  nullValue?: unknown;
  unavailable?: unknown;
}

/** SQL NULL in an image of converted values (`undefined` there is a column left out of the image). */
export const SQL_NULL: unique symbol = Symbol('SQL NULL');
export type ConvertedImage = readonly unknown[];

/** BLOB and TEXT columns: the ones binlog_row_image=NOBLOB leaves out of row images when unchanged. */
const BLOB_OR_TEXT = new Set([
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
]);

export interface CapturedTableOptions {
  prefix: string;
  delimiter: string;
  flavor: Flavor;
  modes: TypeModes;
  filters: Filters;
  /** column.mask.* / column.truncate.* rules (value fields only; keys are never masked, as Debezium). */
  columnMappers?: ColumnMappers | null;
  /** message.key.columns: key columns instead of the primary key. */
  keyColumns?: MessageKeyColumns | null;
  /** unavailable.value.placeholder: BLOB/TEXT values a NOBLOB row image left out. */
  unavailablePlaceholder?: string;
}

export interface ImageStructs<I> {
  key(image: I): Struct | null;
  value(image: I): Struct;
}

export class CapturedTable implements ImageStructs<RowImage> {
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  readonly envelopeSchema: Schema;
  /** Each column's converter of a decoded value (before any column mapper), by column index. */
  readonly baseConverters: ValueConverter[];
  /** By column index: whether the key or the value takes the column. */
  readonly usedColumns: boolean[];
  private readonly valueColumns: IncludedColumn[];
  private readonly keyColumns: IncludedColumn[];
  /** By value/key field: the JavaScript type check that stands for validateValue's, if any. */
  private readonly valueChecks: Array<TypeCheck | null>;
  private readonly keyChecks: Array<TypeCheck | null>;

  constructor(
    readonly definition: TableDefinition,
    opts: CapturedTableOptions,
  ) {
    const t = definition;
    this.topic = dataChangeTopic(opts.prefix, [t.database, t.name], opts.delimiter);
    const mapped = t.columns.map((c, index) => {
      try {
        return { index, name: c.name, column: c, ...mapColumn(c, opts.modes, opts.flavor) };
      } catch (err) {
        throw new DataException(`Table ${t.database}.${t.name}: ${(err as Error).message}`, { cause: err });
      }
    });
    const included = mapped
      .filter((m) => opts.filters.columnIncluded(t.database, t.name, m.name) || t.primaryKey.includes(m.name))
      .map((m) => {
        const rule = opts.columnMappers?.ruleFor(t.database, t.name, m.name);
        return rule ? { ...m, ...applyColumnMapper(rule, m.column, m) } : m;
      });
    const keyNames =
      opts.keyColumns?.keyColumnsFor(
        `${t.database}.${t.name}`,
        t.columns.map((c) => c.name),
      ) ?? t.primaryKey;
    const keyed = keyNames.map((k) => mapped.find((m) => m.name === k)!).filter(Boolean);
    const placeholder = opts.unavailablePlaceholder ?? '__debezium_unavailable_value';
    this.valueColumns = included.map((m) => ({
      index: m.index,
      name: m.name,
      convert: m.convert,
      map: 'map' in m ? (m.map as IncludedColumn['map']) : undefined,
      nullValue: 'nullValue' in m ? m.nullValue : undefined,
      unavailable: BLOB_OR_TEXT.has(m.column.dataType)
        ? m.schema.type === 'bytes'
          ? Buffer.from(placeholder, 'utf8')
          : placeholder
        : undefined,
    }));
    this.keyColumns = keyed.map((m) => ({ index: m.index, name: m.name, convert: m.convert }));
    this.baseConverters = mapped.map((m) => m.convert);
    this.usedColumns = mapped.map(() => false);
    for (const c of [...this.valueColumns, ...this.keyColumns]) this.usedColumns[c.index] = true;
    this.valueSchema = rowSchema(
      this.topic,
      included.map((m) => ({ name: m.name, schema: m.schema })),
    );
    // Key fields take the column's own schema: a primary-key column is NOT NULL, a message.key.columns column may be nullable.
    this.keySchema = keySchema(
      this.topic,
      keyed.map((m) => ({ name: m.name, schema: m.schema })),
    );
    this.envelopeSchema = envelopeSchema(this.topic, this.valueSchema, sourceSchemaFor(opts.flavor));
    this.valueChecks = this.valueSchema.fields.map((f) => typeCheckOf(f.schema));
    this.keyChecks = this.keySchema?.fields.map((f) => typeCheckOf(f.schema)) ?? [];
  }

  get columnCount(): number {
    return this.definition.columns.length;
  }

  value(image: RowImage): Struct {
    const s = new Struct(this.valueSchema);
    const fields = this.valueSchema.fields;
    for (let i = 0; i < this.valueColumns.length; i++) {
      const c = this.valueColumns[i];
      const raw = image[c.index];
      // undefined: left out of the row image (NOBLOB); null: SQL NULL.
      s.put(
        fields[i],
        raw === undefined && c.unavailable !== undefined
          ? c.unavailable
          : raw === null || raw === undefined
            ? (c.nullValue ?? null)
            : this.convert(c, raw),
      );
    }
    return s;
  }

  key(image: RowImage): Struct | null {
    if (!this.keySchema) return null;
    const s = new Struct(this.keySchema);
    const fields = this.keySchema.fields;
    for (let i = 0; i < this.keyColumns.length; i++) {
      const c = this.keyColumns[i];
      const raw = image[c.index];
      s.put(fields[i], raw === null || raw === undefined ? null : this.convert(c, raw));
    }
    return s;
  }

  /** The value struct of an image of converted values (RowDecoder's). */
  convertedValue(image: ConvertedImage): Struct {
    const s = new Struct(this.valueSchema);
    const fields = this.valueSchema.fields;
    for (let i = 0; i < this.valueColumns.length; i++) {
      const c = this.valueColumns[i];
      const raw = image[c.index];
      const v =
        raw === undefined && c.unavailable !== undefined
          ? c.unavailable
          : raw === SQL_NULL || raw === undefined
            ? (c.nullValue ?? null)
            : c.map
              ? c.map(raw)
              : raw;
      if (passesTypeCheck(this.valueChecks[i], v)) s.putKnownValid(fields[i], v);
      else s.put(fields[i], v);
    }
    return s;
  }

  /** The key struct of an image of converted values. */
  convertedKey(image: ConvertedImage): Struct | null {
    if (!this.keySchema) return null;
    const s = new Struct(this.keySchema);
    const fields = this.keySchema.fields;
    for (let i = 0; i < this.keyColumns.length; i++) {
      const raw = image[this.keyColumns[i].index];
      const v = raw === SQL_NULL || raw === undefined ? null : raw;
      if (passesTypeCheck(this.keyChecks[i], v)) s.putKnownValid(fields[i], v);
      else s.put(fields[i], v);
    }
    return s;
  }

  /** Key and value structs of images: decoded ones (this table) or converted ones (`converted`). */
  readonly converted: ImageStructs<ConvertedImage> = {
    key: (image) => this.convertedKey(image),
    value: (image) => this.convertedValue(image),
  };

  private convert(c: IncludedColumn, raw: RowValue): unknown {
    try {
      return c.convert(raw);
    } catch (err) {
      throw new DataException(
        `Cannot convert column ${this.definition.database}.${this.definition.name}.${c.name}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}
