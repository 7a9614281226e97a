/**
 * A captured table's Connect shape: data-change topic, `<topic>.Key`, `<topic>.Value`,
 * `<topic>.Envelope`, and the per-column converters that turn text values (from a pgoutput tuple
 * or a snapshot row) into `Value` / `Key` structs.
 */
import { type Field, passesTypeCheck, type Schema, Struct, type TypeCheck, typeCheckOf } from '../../sdk/data.ts';
import { DataException } from '../../sdk/errors.ts';
import { mapColumnWith, type MappedColumnShape } from '../shared/column-mapping.ts';
import { dataChangeTopic, envelopeSchema, keySchema, rowSchema } from '../shared/debezium/index.ts';
import { isColumnCaptured, type PostgresConnectorSettings } from './config.ts';
import type { ColumnMeta, TableMeta } from './catalog.ts';
import type { TypeRegistry } from './type-registry.ts';
import { UNCHANGED_TOAST, type TupleValue } from './protocol/pgoutput-messages.ts';
import { defaultValueFor, mappingFor, type MappingSettings, type TypeMapping } from './type-mapping.ts';

/** A column value before conversion: text, SQL NULL, or an unchanged TOASTed value. */
export type RawValue = string | null | typeof UNCHANGED_TOAST;
export { UNCHANGED_TOAST };

export interface CapturedColumn {
  name: string;
  /** What the column.mask.* / column.truncate.* rule for the column does to its values (null: no rule). */
  mapped: MappedColumnShape | null;
  /** Position in the source tuple (relation column order). */
  sourceIndex: number;
  mapping: TypeMapping;
  schema: Schema;
  /** The schema before the column mapper: a key field keeps it (Debezium maps value fields only). */
  unmappedSchema: Schema;
  /** How `put` would validate a value of `schema`, when by its JavaScript type alone (checked inline). */
  typeCheck: TypeCheck | null;
}

export class TableSchema {
  readonly topic: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema;
  readonly envelopeSchema: Schema;
  readonly columns: CapturedColumn[];
  readonly keyColumns: CapturedColumn[];
  readonly dataCollection: string;
  /** The row (`Value`) field of each key column, in key field order. */
  private readonly keyRowFields: Field[];
  /** Whether a key column has a column mapper: keys then take the values from before mapping. */
  private readonly keyMapped: boolean;
  private readonly unmappedKeys = new WeakMap<Struct, Map<string, unknown>>();

  constructor(
    readonly meta: TableMeta,
    /** Column names in the order of the tuples this schema will convert. */
    sourceColumns: ReadonlyArray<{ name: string; typeOid: number; typmod: number }>,
    types: TypeRegistry,
    settings: PostgresConnectorSettings & MappingSettings,
    sourceSchema: Schema,
  ) {
    this.topic = dataChangeTopic(settings.topicPrefix, [meta.schema, meta.table], settings.topicDelimiter);
    this.dataCollection = `${meta.schema}.${meta.table}`;
    const byName = new Map<string, ColumnMeta>(meta.columns.map((c) => [c.name, c]));
    this.columns = [];
    sourceColumns.forEach((src, sourceIndex) => {
      if (!isColumnCaptured(settings, meta.schema, meta.table, src.name)) return;
      const mapping = mappingFor(types, src.typeOid, src.typmod, settings);
      if (!mapping) return; // unknown type: left out, as Debezium without include.unknown.datatypes
      const cm = byName.get(src.name);
      const b = mapping.builder();
      if (!cm || !cm.notNull) b.optional();
      const def = defaultValueFor(cm?.defaultExpr ?? null, mapping, src.typeOid);
      // Struct-typed defaults (VariableScaleDecimal, Point) would have to be bound to the schema being built: left out.
      if (def !== undefined && def !== null && !(def instanceof Struct)) b.defaultValue(def);
      const built = b.build();
      const rule = settings.columnMappers.ruleFor(meta.schema, meta.table, src.name);
      const mapped = rule
        ? mapColumnWith(rule, {
            schema: built,
            length: varcharLength(src.typeOid, src.typmod),
            character: CHARACTER_TYPES.has(src.typeOid),
          })
        : null;
      const schema = mapped?.schema ?? built;
      const typeCheck = typeCheckOf(schema);
      this.columns.push({ name: src.name, sourceIndex, mapping, schema, unmappedSchema: built, mapped, typeCheck });
    });
    const keyNames =
      settings.messageKeyColumns?.keyColumnsFor(
        this.dataCollection,
        this.columns.map((c) => c.name),
      ) ?? meta.keyColumns;
    this.keyColumns = keyNames
      .map((k) => this.columns.find((c) => c.name === k))
      .filter((c): c is CapturedColumn => c !== undefined);
    if (this.keyColumns.length !== keyNames.length) this.keyColumns = [];
    this.valueSchema = rowSchema(this.topic, this.columns);
    this.keyMapped = this.keyColumns.some((c) => c.mapped !== null);
    this.keySchema = keySchema(
      this.topic,
      this.keyColumns.map((c) => ({ name: c.name, schema: c.unmappedSchema })),
    );
    this.envelopeSchema = envelopeSchema(this.topic, this.valueSchema, sourceSchema);
    this.keyRowFields = this.keyColumns.map((c) => this.valueSchema.field(c.name)!);
  }

  /**
   * A `Value` struct from a tuple. `keyOnly`: an old-key tuple, where non-key NULLs stand for
   * "not logged" and NOT NULL columns take their default or the type's fallback, as Debezium does.
   */
  row(values: readonly RawValue[], placeholders: boolean, keyOnly = false): Struct {
    const s = new Struct(this.valueSchema);
    const fields = this.valueSchema.fields; // one per captured column, in column order (rowSchema)
    let unmapped: Map<string, unknown> | undefined;
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i];
      const raw = values[c.sourceIndex];
      let v: unknown;
      if (raw === undefined || raw === null) {
        v = keyOnly && !c.schema.optional ? (c.schema.defaultValue ?? c.mapping.zero) : null;
      } else if (raw === UNCHANGED_TOAST) {
        v = placeholders && c.mapping.placeholder !== undefined ? c.mapping.placeholder : null;
      } else {
        try {
          v = c.mapping.fromText(raw);
        } catch (err) {
          throw new DataException(
            `Cannot convert column ${this.dataCollection}.${c.name} value "${raw.slice(0, 80)}": ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
      if ((v === null || v === undefined) && !c.schema.optional) v = c.schema.defaultValue ?? c.mapping.zero ?? null;
      if (v instanceof Struct && v.schema !== c.schema) v = rebind(v, c.schema);
      if (c.mapped && raw !== UNCHANGED_TOAST) {
        if (this.keyMapped && this.keyColumns.includes(c)) (unmapped ??= new Map()).set(c.name, v);
        if (v === null || v === undefined) v = c.mapped.nullValue ?? v;
        else if (c.mapped.map) v = c.mapped.map(v);
      }
      // Values of a type checked by typeof are checked here, without validateValue's dispatch.
      if (v !== null && v !== undefined && passesTypeCheck(c.typeCheck, v)) s.putKnownValid(fields[i], v);
      else s.put(fields[i], v);
    }
    if (unmapped) this.unmappedKeys.set(s, unmapped);
    return s;
  }

  key(row: Struct): Struct | null {
    const keySchema = this.keySchema;
    if (!keySchema) return null;
    const k = new Struct(keySchema);
    const unmapped = this.keyMapped ? this.unmappedKeys.get(row) : undefined;
    const keyFields = keySchema.fields;
    if (!this.keyMapped) {
      // Each key field has its row field's schema (no column mapper): the row's put validated the value.
      for (let i = 0; i < keyFields.length; i++) k.putKnownValid(keyFields[i], row.get(this.keyRowFields[i]));
      return k;
    }
    for (let i = 0; i < keyFields.length; i++) {
      const name = keyFields[i].name;
      k.put(keyFields[i], unmapped?.has(name) ? unmapped.get(name) : row.get(this.keyRowFields[i]));
    }
    return k;
  }
}

/** A pgoutput tuple as texts: the tuple itself unless it holds binary values (never requested), read as UTF-8. */
export function textTuple(tuple: TupleValue[]): RawValue[] {
  // A column is a string, null, the UNCHANGED_TOAST symbol or a Buffer: only a Buffer is an object.
  for (let i = 0; i < tuple.length; i++) {
    const v = tuple[i];
    if (typeof v === 'object' && v !== null) return tuple.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
  }
  return tuple as RawValue[];
}

/** A struct value re-created under the column's own schema (same fields, possibly optional). */
function rebind(v: Struct, schema: Schema): Struct {
  const out = new Struct(schema);
  for (const f of schema.fields) out.put(f.name, v.getWithoutDefault(f.name));
  return out;
}

/** Declared length of varchar(n)/char(n) (typmod - 4), -1 when unbounded. */
function varcharLength(typeOid: number, typmod: number): number {
  return (typeOid === 1043 || typeOid === 1042) && typmod > 4 ? typmod - 4 : -1;
}

/** Types pgjdbc reports as CHAR/VARCHAR (char, name, text, bpchar, varchar): the ones masks change. */
const CHARACTER_TYPES = new Set([18, 19, 25, 1042, 1043]);
