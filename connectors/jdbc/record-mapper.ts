/**
 * SinkRecord → row change. Debezium envelopes are read natively (op c/r/u → upsert of `after`,
 * d → delete by key, t → truncate); other records are flat rows as in Confluent's sink, with a
 * null value (tombstone) meaning delete. Per row schema a plan (columns, types, field indexes)
 * is built once and reused.
 */
import { type SinkRecord, type Schema, Struct } from '../../sdk/data.ts';
import { DataException } from '../../sdk/errors.ts';
import type { JdbcSinkSettings } from './config.ts';
import { bindValue, columnTypeOf, tagTemporal, UnmappableTypeError, type ColumnSpec } from './type-mapping.ts';

export interface TableRef {
  /** Schema (PostgreSQL) or database (MySQL); null means the connection's current one. */
  schema: string | null;
  name: string;
  /** Canonical identity for maps. */
  id: string;
}

export interface RowPlan {
  table: TableRef;
  keyColumns: ColumnSpec[];
  valueColumns: ColumnSpec[];
  /** Identity of the column set, so rows with equal layouts share one statement. */
  layout: string;
}

export type Change =
  | { op: 'upsert'; table: TableRef; plan: RowPlan; key: unknown[]; values: unknown[]; record: SinkRecord }
  | { op: 'delete'; table: TableRef; plan: RowPlan; key: unknown[]; record: SinkRecord }
  | { op: 'truncate'; table: TableRef; record: SinkRecord };

/** A record the sink cannot write; the message names topic/partition/offset, the field and the fix. */
export class RecordMappingError extends DataException {
  constructor(
    readonly record: SinkRecord,
    reason: string,
  ) {
    super(
      `JDBC sink cannot write the record at topic=${record.topic} partition=${record.kafkaPartition} offset=${record.kafkaOffset}: ${reason}`,
    );
  }
}

const KAFKA_PK_DEFAULTS = ['__connect_topic', '__connect_partition', '__connect_offset'];
const NO_KEY_SCHEMA = {} as Schema;

interface FieldPick {
  index: number;
  schema: Schema;
  column: ColumnSpec;
}

interface Plan extends RowPlan {
  keyPicks: FieldPick[];
  valuePicks: FieldPick[];
}

export function isEnvelope(schema: Schema | null): boolean {
  if (!schema || schema.type !== 'struct') return false;
  if (schema.name?.endsWith('.Envelope')) return !!schema.field('op');
  return !!schema.field('op') && !!schema.field('after') && !!schema.field('before') && !!schema.field('source');
}

export class RecordMapper {
  private readonly tables = new Map<string, TableRef>();
  private readonly plans = new Map<string, WeakMap<Schema, WeakMap<Schema, Plan>>>();

  private readonly postgres: boolean;

  constructor(private readonly settings: JdbcSinkSettings) {
    this.postgres = settings.url.kind === 'postgresql';
  }

  tableFor(topic: string): TableRef {
    let t = this.tables.get(topic);
    if (!t) {
      const s = this.settings;
      const name = s.tableNameFormat.replaceAll('${topic}', s.debeziumNaming ? topic.replaceAll('.', '_') : topic);
      const parts = name.split('.');
      const table =
        parts.length > 1 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1] } : { schema: null, name };
      t = { ...table, id: JSON.stringify([table.schema, table.name]) };
      this.tables.set(topic, t);
    }
    return t;
  }

  /** The change a record asks for, or null when it is to be skipped (e.g. a delete with delete.enabled=false). */
  map(record: SinkRecord): Change | null {
    try {
      return this.mapUnchecked(record);
    } catch (err) {
      if (err instanceof RecordMappingError) throw err;
      if (err instanceof UnmappableTypeError || err instanceof DataException)
        throw new RecordMappingError(record, err.message);
      throw err;
    }
  }

  private mapUnchecked(record: SinkRecord): Change | null {
    const s = this.settings;
    const table = this.tableFor(record.topic);
    if (record.value === null || record.value === undefined) {
      if (s.deleteEnabled) return this.deleteOf(record, table, null, null);
      if (s.skipTombstones) return null;
      throw new RecordMappingError(
        record,
        `the value is null (a tombstone) but delete.enabled=false; set delete.enabled=true with pk.mode=record_key to delete rows, or drop tombstones with the Filter SMT`,
      );
    }
    if (!(record.value instanceof Struct) || !record.valueSchema || record.valueSchema.type !== 'struct') {
      throw new RecordMappingError(
        record,
        `the value is not a struct with a schema (got ${record.valueSchema ? record.valueSchema.type.toUpperCase() : 'no schema'}); the JDBC sink needs schemas: use JsonConverter with schemas.enable=true, or Avro/Protobuf/JSON Schema converters`,
      );
    }
    const value = record.value;
    if (isEnvelope(record.valueSchema)) {
      const op = value.get('op') as string | null;
      switch (op) {
        case 'c':
        case 'r':
        case 'u': {
          const after = value.get('after');
          if (!(after instanceof Struct))
            throw new RecordMappingError(record, `Debezium event op=${op} has no "after" struct`);
          return this.upsertOf(record, table, after);
        }
        case 'd': {
          if (!s.deleteEnabled) return null;
          const before = value.get('before');
          return this.deleteOf(
            record,
            table,
            before instanceof Struct ? before : null,
            value.schema.field('before')?.schema ?? null,
          );
        }
        case 't':
          return s.truncateEnabled ? { op: 'truncate', table, record } : null;
        case 'm':
          return null;
        default:
          throw new RecordMappingError(
            record,
            `Debezium event has unknown op "${String(op)}"; expected c, r, u, d, t or m`,
          );
      }
    }
    return this.upsertOf(record, table, value);
  }

  private upsertOf(record: SinkRecord, table: TableRef, row: Struct): Change {
    const plan = this.planFor(record, table, row.schema);
    const key = this.keyValues(record, plan, row);
    const values = new Array(plan.valuePicks.length);
    const tz = this.settings.timeZone;
    for (let i = 0; i < plan.valuePicks.length; i++) {
      const p = plan.valuePicks[i];
      const raw = row.valueAt(p.index);
      if (raw === null && !p.schema.optional && p.schema.defaultValue === undefined) {
        throw new RecordMappingError(
          record,
          `required field "${p.column.name}" is null; make the field optional in the source schema`,
        );
      }
      values[i] = bindValue(
        p.column.type,
        tagTemporal(p.schema, raw ?? p.schema.defaultValue ?? null),
        tz,
        p.column.name,
        this.postgres,
      );
    }
    return { op: 'upsert', table, plan, key, values, record };
  }

  /** A delete by the record key (delete.enabled requires primary.key.mode=record_key, as Debezium's sink). */
  private deleteOf(record: SinkRecord, table: TableRef, before: Struct | null, beforeSchema: Schema | null): Change {
    const plan = this.planFor(record, table, beforeSchema);
    return { op: 'delete', table, plan, key: this.keyValues(record, plan, before), record };
  }

  private keyValues(record: SinkRecord, plan: Plan, row: Struct | null): unknown[] {
    const s = this.settings;
    const tz = s.timeZone;
    switch (s.pkMode) {
      case 'none':
        return [];
      case 'kafka':
        return [record.topic, record.kafkaPartition, record.kafkaOffset];
      case 'record_key': {
        if (record.key === null || record.key === undefined)
          throw new RecordMappingError(
            record,
            'the record key is null but pk.mode=record_key; give the records a key or use pk.mode=record_value',
          );
        if (!(record.key instanceof Struct))
          return [bindValue(plan.keyColumns[0].type, record.key, tz, plan.keyColumns[0].name, this.postgres)];
        return plan.keyPicks.map((p) => this.keyPart(record, p, (record.key as Struct).valueAt(p.index)));
      }
      case 'record_value':
        return plan.keyPicks.map((p) => this.keyPart(record, p, row!.valueAt(p.index)));
    }
  }

  private keyPart(record: SinkRecord, p: FieldPick, raw: unknown): unknown {
    if (raw === null || raw === undefined)
      throw new RecordMappingError(
        record,
        `primary key field "${p.column.name}" is null; every key column needs a value (check pk.fields / primary.key.fields)`,
      );
    return bindValue(p.column.type, tagTemporal(p.schema, raw), this.settings.timeZone, p.column.name, this.postgres);
  }

  private planFor(record: SinkRecord, table: TableRef, rowSchema: Schema | null): Plan {
    let byRow = this.plans.get(record.topic);
    if (!byRow) this.plans.set(record.topic, (byRow = new WeakMap()));
    const rowKey = rowSchema ?? NO_KEY_SCHEMA;
    let byKey = byRow.get(rowKey);
    if (!byKey) byRow.set(rowKey, (byKey = new WeakMap()));
    const keySchemaKey = this.settings.pkMode === 'record_key' && record.keySchema ? record.keySchema : NO_KEY_SCHEMA;
    let plan = byKey.get(keySchemaKey);
    if (!plan) byKey.set(keySchemaKey, (plan = this.buildPlan(record, table, rowSchema)));
    return plan;
  }

  private buildPlan(record: SinkRecord, table: TableRef, rowSchema: Schema | null): Plan {
    const s = this.settings;
    const keyPicks: FieldPick[] = [];
    let keyColumns: ColumnSpec[] = [];
    const pick = (schema: Schema, fieldName: string, where: string): FieldPick => {
      const f = schema.field(fieldName);
      if (!f)
        throw new RecordMappingError(
          record,
          `primary key field "${fieldName}" is not in the record ${where} (fields: ${schema.fields.map((x) => x.name).join(', ')}); fix pk.fields / primary.key.fields`,
        );
      return {
        index: f.index,
        schema: f.schema,
        column: { name: f.name, type: columnTypeOf(f.schema, f.name), optional: false },
      };
    };
    switch (s.pkMode) {
      case 'none':
        break;
      case 'kafka': {
        const names = s.pkFields.length ? s.pkFields : KAFKA_PK_DEFAULTS;
        keyColumns = [
          { name: names[0], type: { kind: 'string' }, optional: false },
          { name: names[1], type: { kind: 'int32' }, optional: false },
          { name: names[2], type: { kind: 'int64' }, optional: false },
        ];
        break;
      }
      case 'record_key': {
        const ks = record.keySchema;
        if (!ks)
          throw new RecordMappingError(
            record,
            'the record has no key schema but pk.mode=record_key; use a converter with schemas for the key (key.converter.schemas.enable=true)',
          );
        if (ks.type === 'struct') {
          const names = s.pkFields.length ? s.pkFields : ks.fields.map((f) => f.name);
          if (!names.length)
            throw new RecordMappingError(
              record,
              'the record key struct has no fields; pk.mode=record_key needs at least one',
            );
          for (const n of names) keyPicks.push(pick(ks, n, 'key'));
        } else {
          if (s.pkFields.length !== 1)
            throw new RecordMappingError(
              record,
              `the record key is a primitive ${ks.type.toUpperCase()}; pk.fields must name exactly one column for it`,
            );
          keyColumns = [{ name: s.pkFields[0], type: columnTypeOf(ks, s.pkFields[0]), optional: false }];
        }
        break;
      }
      case 'record_value': {
        if (!rowSchema) throw new RecordMappingError(record, 'pk.mode=record_value needs a value struct');
        const names = s.pkFields.length ? s.pkFields : rowSchema.fields.map((f) => f.name);
        for (const n of names) keyPicks.push(pick(rowSchema, n, 'value'));
        break;
      }
    }
    if (keyPicks.length) keyColumns = keyPicks.map((p) => p.column);
    const keyNames = new Set(keyColumns.map((c) => c.name));
    const valuePicks: FieldPick[] = [];
    for (const f of rowSchema?.fields ?? []) {
      if (keyNames.has(f.name)) continue;
      if (s.fieldsWhitelist && !s.fieldsWhitelist.has(f.name)) continue;
      try {
        valuePicks.push({
          index: f.index,
          schema: f.schema,
          column: {
            name: f.name,
            type: columnTypeOf(f.schema, f.name),
            // As Debezium's sink: NOT NULL for a required field, its schema default as DEFAULT.
            optional: f.schema.optional,
            defaultValue: f.schema.defaultValue ?? undefined,
          },
        });
      } catch (err) {
        if (err instanceof UnmappableTypeError) throw new RecordMappingError(record, err.message);
        throw err;
      }
    }
    const valueColumns = valuePicks.map((p) => p.column);
    const layout = JSON.stringify([keyColumns.map((c) => c.name), valueColumns.map((c) => c.name)]);
    return { table, keyColumns, valueColumns, layout, keyPicks, valuePicks };
  }
}
