/**
 * Connect schemas and values to Avro and back, as Confluent's AvroData
 * (io.confluent.connect.avro.AvroData) does it, so the schemas Tributary registers are the ones
 * Kafka Connect's AvroConverter registers and either side reads the other's data:
 *
 * - names, versions, docs, parameters and defaults travel as `connect.name`, `connect.version`,
 *   `connect.doc`, `connect.parameters` and `connect.default` attributes;
 * - int8/int16 are Avro ints marked `connect.type`; Decimal is bytes with the `decimal` logical
 *   type (precision from `connect.decimal.precision`, else 64); Date, Time and Timestamp are
 *   `date`, `time-millis` and `timestamp-millis`;
 * - an optional schema is a union with null (null first, unless it has a default);
 * - a struct is a record named after the schema (`io.confluent.connect.avro.ConnectDefault` when
 *   it has no name); a map with non-string keys is an array of `io.confluent.connect.avro.MapEntry`
 *   key/value records; a repeated named type is written once and referenced by name after that.
 *
 * Values on the Avro side are avsc's: plain objects for records, `{branch: value}` for unions
 * (avsc `wrapUnions`), Buffers for bytes, number or bigint for longs.
 */
import { DataException } from '../../errors.ts';
import { type Schema, schemaEquals, mapEntries } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../data/logical.ts';
import type { AvroNode } from './avro-schema-tree.ts';
import { AvroToConnect } from './avro-to-connect.ts';
import { ConnectValuesToAvro } from './connect-values-to-avro.ts';
import {
  NAMESPACE,
  DEFAULT_SCHEMA_NAME,
  MAP_ENTRY_TYPE_NAME,
  CONNECT_NAME_PROP,
  CONNECT_DOC_PROP,
  CONNECT_VERSION_PROP,
  CONNECT_DEFAULT_VALUE_PROP,
  CONNECT_PARAMETERS_PROP,
  CONNECT_INTERNAL_TYPE_NAME,
  CONNECT_TYPE_PROP,
  AVRO_RECORD_DOC_PROP,
  AVRO_ENUM_DOC_PREFIX_PROP,
  AVRO_ENUM_DEFAULT_PREFIX_PROP,
  AVRO_FIELD_DOC_PREFIX_PROP,
  AVRO_FIELD_DEFAULT_FLAG_PROP,
  AVRO_TYPE_UNION,
  AVRO_TYPE_ENUM,
  CONNECT_AVRO_DECIMAL_PRECISION_PROP,
  CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT,
} from './avro-names.ts';
import { toAvroLogical } from './avro-data-helpers.ts';
import { shortName, splitName, nonOptional } from '../registry-data-helpers.ts';
import type { AvroDataOptions } from './avro-names.ts';

export * from './avro-names.ts';
export { splitName, nonOptional } from '../registry-data-helpers.ts';

type Json = unknown;

/** State of one fromConnectSchema call: named types already written (referenced by name after). */
class FromConnectContext {
  readonly defined: Array<{ schema: Schema; ref: Json }> = [];
  readonly names = new Set<string>();
  defaultNames = 0;
  mapEntryNames = 0;

  find(schema: Schema): Json | undefined {
    for (const d of this.defined) if (d.schema === schema || schemaEquals(d.schema, schema)) return d.ref;
    return undefined;
  }

  claim(fullName: string): void {
    if (this.names.has(fullName)) {
      throw new DataException(
        `Cannot convert to Avro: two different schemas are named "${fullName}" in one schema, and Avro names must be unique. Give them different names (e.g. with the SetSchemaMetadata transform).`,
      );
    }
    this.names.add(fullName);
  }
}

export class AvroData {
  private readonly fromConnectCache = new WeakMap<Schema, Json>();
  private readonly toConnect: AvroToConnect;
  private readonly toAvro: ConnectValuesToAvro;

  constructor(private readonly opts: AvroDataOptions = { connectMetaData: true, enhancedSchemaSupport: false }) {
    this.toConnect = new AvroToConnect(opts);
    this.toAvro = new ConnectValuesToAvro(this.toConnect);
  }

  // ---- Connect schema -> Avro schema --------------------------------------------------------

  /** The Avro schema (as its JSON value) for a Connect schema. */
  fromConnectSchema(schema: Schema): Json {
    let json = this.fromConnectCache.get(schema);
    if (json === undefined) {
      json = this.fromSchema(schema, new FromConnectContext(), false);
      this.fromConnectCache.set(schema, json);
    }
    return json;
  }

  private fromSchema(schema: Schema, ctx: FromConnectContext, ignoreOptional: boolean): Json {
    if (!schema.optional || ignoreOptional) {
      const ref = ctx.find(schema.optional ? nonOptional(schema) : schema);
      if (ref !== undefined) return ref;
    }
    const [namespace, name] = schema.name !== undefined ? splitName(schema.name) : [NAMESPACE, DEFAULT_SCHEMA_NAME];
    const base: Record<string, Json> = {};
    let connectType: string | undefined;
    let ref: Json | undefined;

    switch (schema.type) {
      case 'int8':
        connectType = 'int8';
        base.type = 'int';
        break;
      case 'int16':
        connectType = 'int16';
        base.type = 'int';
        break;
      case 'int32':
        base.type = 'int';
        break;
      case 'int64':
        base.type = 'long';
        break;
      case 'float32':
        base.type = 'float';
        break;
      case 'float64':
        base.type = 'double';
        break;
      case 'boolean':
        base.type = 'boolean';
        break;
      case 'string':
        if (this.opts.enhancedSchemaSupport && schema.parameters?.[AVRO_TYPE_ENUM] !== undefined) {
          const enumName = schema.parameters[AVRO_TYPE_ENUM];
          const [ens, en] = splitName(enumName);
          base.type = 'enum';
          base.name = en;
          if (ens) base.namespace = ens;
          const doc = schema.parameters[AVRO_ENUM_DOC_PREFIX_PROP + en];
          if (doc !== undefined) base.doc = doc;
          base.symbols = Object.entries(schema.parameters)
            .filter(([k]) => k.startsWith(`${AVRO_TYPE_ENUM}.`))
            .map(([, v]) => v);
          const def = schema.parameters[AVRO_ENUM_DEFAULT_PREFIX_PROP + en];
          if (def !== undefined) base.default = def;
          ctx.claim(enumName);
          ref = enumName;
        } else {
          base.type = 'string';
        }
        break;
      case 'bytes':
        base.type = 'bytes';
        if (schema.name === Decimal.LOGICAL_NAME) {
          base.scale = Number(schema.parameters?.[Decimal.SCALE_FIELD] ?? 0);
          base.precision = Number(
            schema.parameters?.[CONNECT_AVRO_DECIMAL_PRECISION_PROP] ?? CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT,
          );
        }
        break;
      case 'array':
        base.type = 'array';
        base.items = this.fromSchema(schema.valueSchema!, ctx, false);
        break;
      case 'map':
        if (schema.keySchema!.type === 'string' && !schema.keySchema!.optional) {
          base.type = 'map';
          base.values = this.fromSchema(schema.valueSchema!, ctx, false);
        } else {
          // Avro maps only have string keys: other maps are arrays of key/value records.
          let entryName: string;
          const entry: Record<string, Json> = { type: 'record' };
          if (schema.name === undefined) {
            ctx.mapEntryNames++;
            entryName = `${NAMESPACE}.${MAP_ENTRY_TYPE_NAME}${ctx.mapEntryNames > 1 ? ctx.mapEntryNames : ''}`;
            entry.name = shortName(entryName);
            entry.namespace = NAMESPACE;
          } else {
            entryName = schema.name;
            entry.name = name;
            if (namespace) entry.namespace = namespace;
          }
          ctx.claim(entryName);
          entry.fields = [
            this.recordField('key', schema.keySchema!, undefined, ctx),
            this.recordField('value', schema.valueSchema!, undefined, ctx),
          ];
          if (schema.name !== undefined || ctx.mapEntryNames > 1)
            entry[CONNECT_INTERNAL_TYPE_NAME] = MAP_ENTRY_TYPE_NAME;
          base.type = 'array';
          base.items = entry;
          ref = { type: 'array', items: entryName };
        }
        break;
      case 'struct': {
        if (schema.name === AVRO_TYPE_UNION) {
          const members: Json[] = schema.optional ? ['null'] : [];
          for (const f of schema.fields) members.push(this.fromSchema(nonOptional(f.schema), ctx, true));
          return members;
        }
        if (schema.optional && !ignoreOptional) {
          return ['null', this.fromSchema(nonOptional(schema), ctx, false)];
        }
        let recordName = name;
        const recordNamespace = namespace;
        if (schema.name === undefined) {
          ctx.defaultNames++;
          if (ctx.defaultNames > 1) recordName = `${DEFAULT_SCHEMA_NAME}${ctx.defaultNames}`;
        }
        const fullName = recordNamespace ? `${recordNamespace}.${recordName}` : recordName;
        ctx.claim(fullName);
        base.type = 'record';
        base.name = recordName;
        if (recordNamespace) base.namespace = recordNamespace;
        const doc = schema.parameters?.[AVRO_RECORD_DOC_PROP];
        if (doc !== undefined) base.doc = doc;
        // Registered before the fields so a nested use of the same schema refers to it by name.
        ctx.defined.push({ schema: nonOptional(schema), ref: fullName });
        base.fields = schema.fields.map((f) =>
          this.recordField(f.name, f.schema, schema.parameters?.[AVRO_FIELD_DOC_PREFIX_PROP + f.name], ctx),
        );
        ref = fullName;
        break;
      }
    }

    if (this.opts.connectMetaData) {
      if (schema.doc !== undefined) base[CONNECT_DOC_PROP] = schema.doc;
      if (schema.version !== undefined) base[CONNECT_VERSION_PROP] = schema.version;
      if (schema.parameters !== undefined) {
        const params = Object.fromEntries(
          Object.entries(schema.parameters).filter(([k]) => k !== AVRO_FIELD_DEFAULT_FLAG_PROP),
        );
        if (Object.keys(params).length > 0) base[CONNECT_PARAMETERS_PROP] = params;
      }
      if (
        schema.defaultValue !== undefined &&
        schema.defaultValue !== null &&
        schema.parameters?.[AVRO_FIELD_DEFAULT_FLAG_PROP] === undefined
      ) {
        base[CONNECT_DEFAULT_VALUE_PROP] = this.defaultValueFromConnect(schema, schema.defaultValue);
      }
      if (schema.name !== undefined) base[CONNECT_NAME_PROP] = schema.name;
      if (connectType !== undefined) base[CONNECT_TYPE_PROP] = connectType;
    }
    switch (schema.name) {
      case Decimal.LOGICAL_NAME:
        base.logicalType = 'decimal';
        break;
      case ConnectTime.LOGICAL_NAME:
        base.logicalType = 'time-millis';
        break;
      case ConnectTimestamp.LOGICAL_NAME:
        base.logicalType = 'timestamp-millis';
        break;
      case ConnectDate.LOGICAL_NAME:
        base.logicalType = 'date';
        break;
    }
    for (const [k, v] of Object.entries(schema.parameters ?? {})) if (k.startsWith('avro')) base[k] = v;

    const json: Json = Object.keys(base).length === 1 ? base.type : base;
    if (ref !== undefined && !schema.optional) ctx.defined.push({ schema, ref });
    if (ref !== undefined && schema.optional) ctx.defined.push({ schema: nonOptional(schema), ref });
    if (schema.optional && !ignoreOptional) {
      return schema.defaultValue !== undefined && schema.defaultValue !== null ? [json, 'null'] : ['null', json];
    }
    return json;
  }

  private recordField(name: string, schema: Schema, doc: string | undefined, ctx: FromConnectContext): Json {
    const field: Record<string, Json> = { name, type: this.fromSchema(schema, ctx, false) };
    if (doc !== undefined) field.doc = doc;
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      field.default = this.defaultValueFromConnect(schema, schema.defaultValue);
    else if (schema.optional) field.default = null;
    return field;
  }

  /** A Connect default value as the JSON Avro puts in `default` / `connect.default`. */
  defaultValueFromConnect(schema: Schema, value: unknown): Json {
    if (value === null || value === undefined) return null;
    const v = toAvroLogical(schema, value);
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'float32':
      case 'float64':
      case 'boolean':
      case 'string':
        return v;
      case 'int64':
        return typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(v)
          : v;
      case 'bytes':
        return Buffer.from(v as Uint8Array).toString('latin1');
      case 'array':
        return (v as unknown[]).map((e) => this.defaultValueFromConnect(schema.valueSchema!, e));
      case 'map': {
        const entries = mapEntries(v) ?? [];
        if (schema.keySchema!.type === 'string' && !schema.keySchema!.optional) {
          return Object.fromEntries(
            entries.map(([k, e]) => [String(k), this.defaultValueFromConnect(schema.valueSchema!, e)]),
          );
        }
        return entries.map(([k, e]) => [
          this.defaultValueFromConnect(schema.keySchema!, k),
          this.defaultValueFromConnect(schema.valueSchema!, e),
        ]);
      }
      case 'struct': {
        const s = v as Struct;
        return Object.fromEntries(schema.fields.map((f) => [f.name, this.defaultValueFromConnect(f.schema, s.get(f))]));
      }
    }
  }

  // ---- Connect value -> Avro value (connect-values-to-avro.ts) ------------------------------

  /** A Connect value as avsc's value for the given Avro schema (which came from this Connect schema). */
  fromConnectData(schema: Schema, node: AvroNode, value: unknown, path = 'value'): unknown {
    return this.toAvro.fromConnectData(schema, node, value, path);
  }

  /**
   * A compiled form of fromConnectData for one (Connect schema, Avro schema) pair: the branch of
   * each optional union and each record field's writer are chosen once, not per record.
   */
  compileFromConnect(schema: Schema, node: AvroNode): (value: unknown) => unknown {
    return this.toAvro.compileFromConnect(schema, node);
  }

  // ---- Avro -> Connect (avro-to-connect.ts) -------------------------------------------------

  /** The Connect schema for an Avro schema. */
  toConnectSchema(node: AvroNode, version?: number): Schema {
    return this.toConnect.toConnectSchema(node, version);
  }

  /** The Connect value of an Avro value read with `node`. */
  toConnectData(schema: Schema, node: AvroNode, value: unknown, path = 'value'): unknown {
    return this.toConnect.toConnectData(schema, node, value, path);
  }
}
