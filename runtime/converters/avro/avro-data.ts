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
import { type Schema, SchemaBuilder, schemaEquals, mapEntries } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../data/logical.ts';
import { type AvroField, type AvroNode, branchName, shortName } from './avro-schema-tree.ts';

export const NAMESPACE = 'io.confluent.connect.avro';
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault';
export const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.${DEFAULT_SCHEMA_NAME}`;
export const MAP_ENTRY_TYPE_NAME = 'MapEntry';
export const CONNECT_NAME_PROP = 'connect.name';
export const CONNECT_DOC_PROP = 'connect.doc';
export const CONNECT_VERSION_PROP = 'connect.version';
export const CONNECT_DEFAULT_VALUE_PROP = 'connect.default';
export const CONNECT_PARAMETERS_PROP = 'connect.parameters';
export const CONNECT_INTERNAL_TYPE_NAME = 'connect.internal.type';
export const CONNECT_TYPE_PROP = 'connect.type';
export const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`;
export const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`;
export const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`;
export const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`;
export const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`;
export const AVRO_TYPE_UNION = `${NAMESPACE}.Union`;
export const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const CONNECT_AVRO_DECIMAL_PRECISION_PROP = 'connect.decimal.precision';
export const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64;

const LOGICAL = new Set([Decimal.LOGICAL_NAME, ConnectDate.LOGICAL_NAME, ConnectTime.LOGICAL_NAME, ConnectTimestamp.LOGICAL_NAME]);
const DEFAULT_NAME_PATTERN = new RegExp(`^${DEFAULT_SCHEMA_FULL_NAME.replace(/\./g, '\\.')}\\d*$`);

export interface AvroDataOptions {
  /** `connect.meta.data`: write and read the connect.* attributes (default true). */
  connectMetaData: boolean;
  /** `enhanced.avro.schema.support`: keep Avro enums and full union member names (default false). */
  enhancedSchemaSupport: boolean;
}

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
      throw new DataException(`Cannot convert to Avro: two different schemas are named "${fullName}" in one schema, and Avro names must be unique. Give them different names (e.g. with the SetSchemaMetadata transform).`);
    }
    this.names.add(fullName);
  }
}

export class AvroData {
  private readonly fromConnectCache = new WeakMap<Schema, Json>();
  private readonly compiled = new WeakMap<Schema, Map<AvroNode, (value: unknown) => unknown>>();

  constructor(private readonly opts: AvroDataOptions = { connectMetaData: true, enhancedSchemaSupport: false }) {}

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
      case 'int8': connectType = 'int8'; base.type = 'int'; break;
      case 'int16': connectType = 'int16'; base.type = 'int'; break;
      case 'int32': base.type = 'int'; break;
      case 'int64': base.type = 'long'; break;
      case 'float32': base.type = 'float'; break;
      case 'float64': base.type = 'double'; break;
      case 'boolean': base.type = 'boolean'; break;
      case 'string':
        if (this.opts.enhancedSchemaSupport && schema.parameters?.[AVRO_TYPE_ENUM] !== undefined) {
          const enumName = schema.parameters[AVRO_TYPE_ENUM];
          const [ens, en] = splitName(enumName);
          base.type = 'enum';
          base.name = en;
          if (ens) base.namespace = ens;
          const doc = schema.parameters[AVRO_ENUM_DOC_PREFIX_PROP + en];
          if (doc !== undefined) base.doc = doc;
          base.symbols = Object.entries(schema.parameters).filter(([k]) => k.startsWith(`${AVRO_TYPE_ENUM}.`)).map(([, v]) => v);
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
          base.precision = Number(schema.parameters?.[CONNECT_AVRO_DECIMAL_PRECISION_PROP] ?? CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT);
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
          entry.fields = [this.recordField('key', schema.keySchema!, undefined, ctx), this.recordField('value', schema.valueSchema!, undefined, ctx)];
          if (schema.name !== undefined || ctx.mapEntryNames > 1) entry[CONNECT_INTERNAL_TYPE_NAME] = MAP_ENTRY_TYPE_NAME;
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
        base.fields = schema.fields.map((f) => this.recordField(f.name, f.schema, schema.parameters?.[AVRO_FIELD_DOC_PREFIX_PROP + f.name], ctx));
        ref = fullName;
        break;
      }
    }

    if (this.opts.connectMetaData) {
      if (schema.doc !== undefined) base[CONNECT_DOC_PROP] = schema.doc;
      if (schema.version !== undefined) base[CONNECT_VERSION_PROP] = schema.version;
      if (schema.parameters !== undefined) {
        const params = Object.fromEntries(Object.entries(schema.parameters).filter(([k]) => k !== AVRO_FIELD_DEFAULT_FLAG_PROP));
        if (Object.keys(params).length > 0) base[CONNECT_PARAMETERS_PROP] = params;
      }
      if (schema.defaultValue !== undefined && schema.defaultValue !== null && schema.parameters?.[AVRO_FIELD_DEFAULT_FLAG_PROP] === undefined) {
        base[CONNECT_DEFAULT_VALUE_PROP] = this.defaultValueFromConnect(schema, schema.defaultValue);
      }
      if (schema.name !== undefined) base[CONNECT_NAME_PROP] = schema.name;
      if (connectType !== undefined) base[CONNECT_TYPE_PROP] = connectType;
    }
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: base.logicalType = 'decimal'; break;
      case ConnectTime.LOGICAL_NAME: base.logicalType = 'time-millis'; break;
      case ConnectTimestamp.LOGICAL_NAME: base.logicalType = 'timestamp-millis'; break;
      case ConnectDate.LOGICAL_NAME: base.logicalType = 'date'; break;
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
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) field.default = this.defaultValueFromConnect(schema, schema.defaultValue);
    else if (schema.optional) field.default = null;
    return field;
  }

  /** A Connect default value as the JSON Avro puts in `default` / `connect.default`. */
  defaultValueFromConnect(schema: Schema, value: unknown): Json {
    if (value === null || value === undefined) return null;
    const v = toAvroLogical(schema, value);
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32': case 'float32': case 'float64': case 'boolean': case 'string':
        return v;
      case 'int64':
        return typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      case 'bytes':
        return Buffer.from(v as Uint8Array).toString('latin1');
      case 'array':
        return (v as unknown[]).map((e) => this.defaultValueFromConnect(schema.valueSchema!, e));
      case 'map': {
        const entries = mapEntries(v) ?? [];
        if (schema.keySchema!.type === 'string' && !schema.keySchema!.optional) {
          return Object.fromEntries(entries.map(([k, e]) => [String(k), this.defaultValueFromConnect(schema.valueSchema!, e)]));
        }
        return entries.map(([k, e]) => [this.defaultValueFromConnect(schema.keySchema!, k), this.defaultValueFromConnect(schema.valueSchema!, e)]);
      }
      case 'struct': {
        const s = v as Struct;
        return Object.fromEntries(schema.fields.map((f) => [f.name, this.defaultValueFromConnect(f.schema, s.get(f))]));
      }
    }
  }

  // ---- Connect value -> Avro value ----------------------------------------------------------

  /** A Connect value as avsc's value for the given Avro schema (which came from this Connect schema). */
  fromConnectData(schema: Schema, node: AvroNode, value: unknown, path = 'value'): unknown {
    if (value === null || value === undefined) {
      if (!schema.optional) throw new DataException(`Found null value for non-optional schema at "${path}"`);
      return null;
    }
    if (node.kind === 'union') {
      if (schema.name === AVRO_TYPE_UNION && schema.type === 'struct') {
        const struct = value as Struct;
        for (const f of schema.fields) {
          const member = struct.get(f);
          if (member === null || member === undefined) continue;
          const branch = node.types.find((t) => !isNull(t) && this.unionMemberFieldName(t) === f.name);
          if (!branch) throw new DataException(`No Avro union branch matches the union field "${f.name}" at "${path}"`);
          return { [branchName(branch)]: this.fromConnectData(nonOptional(f.schema), branch, member, path) };
        }
        if (!schema.optional) throw new DataException(`Union struct at "${path}" has no non-null field`);
        return null;
      }
      const branch = pickBranch(schema, node);
      return { [branchName(branch)]: this.fromConnectData(schema, branch, value, path) };
    }
    const v = toAvroLogical(schema, value);
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32':
        if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(schema, v, path);
        return v;
      case 'int64':
        if (typeof v === 'bigint') return v;
        if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(schema, v, path);
        return v;
      case 'float32': case 'float64':
        if (typeof v !== 'number') throw typeError(schema, v, path);
        return v;
      case 'boolean':
        if (typeof v !== 'boolean') throw typeError(schema, v, path);
        return v;
      case 'string':
        if (typeof v !== 'string') throw typeError(schema, v, path);
        return v;
      case 'bytes':
        if (!(v instanceof Uint8Array)) throw typeError(schema, v, path);
        if (node.kind === 'fixed' && v.length !== node.size) throw new DataException(`Bytes at "${path}" are ${v.length} long but the Avro fixed type ${node.fullName} has size ${node.size}`);
        return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      case 'array': {
        if (!Array.isArray(v)) throw typeError(schema, v, path);
        if (node.kind !== 'array') throw mismatch(schema, node, path);
        return v.map((e, i) => this.fromConnectData(schema.valueSchema!, node.items, e, `${path}[${i}]`));
      }
      case 'map': {
        const entries = mapEntries(v);
        if (!entries) throw typeError(schema, v, path);
        if (node.kind === 'map') {
          const out: Record<string, unknown> = {};
          for (const [k, e] of entries) out[String(k)] = this.fromConnectData(schema.valueSchema!, node.values, e, `${path}.${String(k)}`);
          return out;
        }
        if (node.kind !== 'array' || node.items.kind !== 'record') throw mismatch(schema, node, path);
        const entryNode = node.items;
        const keyNode = entryNode.fields.find((f) => f.name === 'key')!.type;
        const valueNode = entryNode.fields.find((f) => f.name === 'value')!.type;
        return entries.map(([k, e]) => ({
          key: this.fromConnectData(schema.keySchema!, keyNode, k, `${path}.<key>`),
          value: this.fromConnectData(schema.valueSchema!, valueNode, e, `${path}[${String(k)}]`),
        }));
      }
      case 'struct': {
        if (!(v instanceof Struct)) throw typeError(schema, v, path);
        if (node.kind !== 'record') throw mismatch(schema, node, path);
        const out: Record<string, unknown> = {};
        for (const f of schema.fields) {
          const af = node.fields.find((x) => x.name === f.name);
          if (!af) throw new DataException(`The Avro record ${node.fullName} has no field "${f.name}" (at "${path}")`);
          out[f.name] = this.fromConnectData(f.schema, af.type, v.get(f), f.name);
        }
        return out;
      }
    }
  }

  /**
   * A compiled form of fromConnectData for one (Connect schema, Avro schema) pair: the branch of
   * each optional union and each record field's writer are chosen once, not per record.
   */
  compileFromConnect(schema: Schema, node: AvroNode): (value: unknown) => unknown {
    let byNode = this.compiled.get(schema);
    if (!byNode) {
      byNode = new Map();
      this.compiled.set(schema, byNode);
    }
    let fn = byNode.get(node);
    if (!fn) {
      fn = this.compile(schema, node, 'value');
      byNode.set(node, fn);
    }
    return fn;
  }

  private compile(schema: Schema, node: AvroNode, path: string): (value: unknown) => unknown {
    const generic = (v: unknown) => this.fromConnectData(schema, node, v, path);
    if (schema.name === AVRO_TYPE_UNION) return generic;
    if (node.kind === 'union') {
      const branch = pickBranch(schema, node);
      const name = branchName(branch);
      const inner = this.compileNonNull(schema, branch, path);
      return (v) => {
        if (v === null || v === undefined) {
          if (!schema.optional) throw new DataException(`Found null value for non-optional schema at "${path}"`);
          return null;
        }
        return { [name]: inner(v) };
      };
    }
    const inner = this.compileNonNull(schema, node, path);
    return (v) => {
      if (v === null || v === undefined) {
        if (!schema.optional) throw new DataException(`Found null value for non-optional schema at "${path}"`);
        return null;
      }
      return inner(v);
    };
  }

  private compileNonNull(schema: Schema, node: AvroNode, path: string): (value: unknown) => unknown {
    if (schema.name !== undefined && LOGICAL.has(schema.name)) return (v) => this.fromConnectData(schema, node, v, path);
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32':
        return (v) => {
          if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(schema, v, path);
          return v;
        };
      case 'int64':
        return (v) => {
          if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return v;
          throw typeError(schema, v, path);
        };
      case 'float32': case 'float64':
        return (v) => {
          if (typeof v !== 'number') throw typeError(schema, v, path);
          return v;
        };
      case 'boolean':
        return (v) => {
          if (typeof v !== 'boolean') throw typeError(schema, v, path);
          return v;
        };
      case 'string':
        return (v) => {
          if (typeof v !== 'string') throw typeError(schema, v, path);
          return v;
        };
      case 'struct': {
        if (node.kind !== 'record') throw mismatch(schema, node, path);
        const fields = schema.fields.map((f) => {
          const af = node.fields.find((x) => x.name === f.name);
          if (!af) throw new DataException(`The Avro record ${node.fullName} has no field "${f.name}" (at "${path}")`);
          const d = f.schema.defaultValue;
          return { index: f.index, name: f.name, fallback: d === undefined ? null : d, write: this.compile(f.schema, af.type, f.name) };
        });
        return (v) => {
          if (!(v instanceof Struct)) throw typeError(schema, v, path);
          const out: Record<string, unknown> = {};
          for (const f of fields) {
            const raw = v.valueAt(f.index);
            // Struct.get semantics: a null field takes the field schema's default.
            out[f.name] = f.write(raw === null ? f.fallback : raw);
          }
          return out;
        };
      }
      default:
        return (v) => this.fromConnectData(schema, node, v, path);
    }
  }

  // ---- Avro schema -> Connect schema --------------------------------------------------------

  /** The Connect schema for an Avro schema; `version` (the registry's) applies when it has no connect.version. */
  toConnectSchema(node: AvroNode, version?: number): Schema {
    return this.toSchema(node, false, undefined, new Set(), version);
  }

  private toSchema(node: AvroNode, forceOptional: boolean, fieldDefault: unknown, visiting: Set<AvroNode>, version?: number): Schema {
    if (node.kind === 'union') {
      if (node.types.length === 2 && node.types.some(isNull)) {
        return this.toSchema(node.types.find((t) => !isNull(t))!, true, undefined, visiting);
      }
      const b = SchemaBuilder.struct().name(AVRO_TYPE_UNION);
      const names = new Set<string>();
      for (const member of node.types) {
        if (isNull(member)) {
          b.optional();
          continue;
        }
        const fieldName = this.unionMemberFieldName(member);
        if (names.has(fieldName)) throw new DataException('Multiple union schemas map to the Connect union field name');
        names.add(fieldName);
        b.field(fieldName, this.toSchema(member, true, undefined, visiting));
      }
      if (forceOptional) b.optional();
      return b.build();
    }
    if (visiting.has(node)) throw new DataException(`Recursive Avro schemas cannot be converted to Connect schemas (${branchName(node)} refers to itself)`);
    const props = node.props;
    const logicalType = typeof props.logicalType === 'string' ? props.logicalType : undefined;
    let b: SchemaBuilder;
    switch (node.kind) {
      case 'primitive':
        switch (node.type) {
          case 'boolean': b = SchemaBuilder.bool(); break;
          case 'double': b = SchemaBuilder.float64(); break;
          case 'float': b = SchemaBuilder.float32(); break;
          case 'string': b = SchemaBuilder.string(); break;
          case 'long': b = logicalType === 'timestamp-millis' ? ConnectTimestamp.builder() : SchemaBuilder.int64(); break;
          case 'int': {
            const connectType = props[CONNECT_TYPE_PROP];
            if (logicalType === 'date') b = ConnectDate.builder();
            else if (logicalType === 'time-millis') b = ConnectTime.builder();
            else if (connectType === 'int8') b = SchemaBuilder.int8();
            else if (connectType === 'int16') b = SchemaBuilder.int16();
            else if (connectType !== undefined && logicalType === undefined) throw new DataException(`Unknown Connect type annotation "${String(connectType)}" for an Avro int`);
            else b = SchemaBuilder.int32();
            break;
          }
          case 'bytes': b = this.bytesBuilder(props, logicalType); break;
          case 'null': throw new DataException('Standalone null schemas are not supported by this converter');
        }
        break;
      case 'fixed':
        b = this.bytesBuilder(props, logicalType);
        break;
      case 'array': {
        const items = node.items;
        if (items.kind === 'record' && isMapEntry(items)) {
          const key = items.fields.find((f) => f.name === 'key');
          const value = items.fields.find((f) => f.name === 'value');
          if (items.fields.length !== 2 || !key || !value) throw new DataException('Found map encoded as array of key-value pairs, but array elements do not match the expected format.');
          b = SchemaBuilder.map(this.toSchema(key.type, false, undefined, visiting), this.toSchema(value.type, false, undefined, visiting));
        } else {
          b = SchemaBuilder.array(this.toSchema(items, false, undefined, visiting));
        }
        break;
      }
      case 'map':
        b = SchemaBuilder.map(SchemaBuilder.string().build(), this.toSchema(node.values, false, undefined, visiting));
        break;
      case 'record': {
        b = SchemaBuilder.struct();
        visiting.add(node);
        if (this.opts.connectMetaData && node.doc !== undefined) b.parameter(AVRO_RECORD_DOC_PROP, node.doc);
        for (const f of node.fields) {
          if (this.opts.connectMetaData && f.doc !== undefined) b.parameter(AVRO_FIELD_DOC_PREFIX_PROP + f.name, f.doc);
          b.field(f.name, this.toSchema(f.type, false, f.default === null ? undefined : f.default, visiting));
        }
        visiting.delete(node);
        break;
      }
      case 'enum':
        b = SchemaBuilder.string();
        if (this.opts.connectMetaData) {
          const en = shortName(node.fullName);
          if (node.doc !== undefined) b.parameter(AVRO_ENUM_DOC_PREFIX_PROP + en, node.doc);
          if (node.default !== undefined) b.parameter(AVRO_ENUM_DEFAULT_PREFIX_PROP + en, node.default);
        }
        b.parameter(AVRO_TYPE_ENUM, node.fullName);
        for (const s of node.symbols) b.parameter(`${AVRO_TYPE_ENUM}.${s}`, s);
        break;
    }

    if (this.opts.connectMetaData && typeof props[CONNECT_DOC_PROP] === 'string') b.doc(props[CONNECT_DOC_PROP] as string);
    const connectVersion = props[CONNECT_VERSION_PROP];
    if (connectVersion !== undefined) {
      if (typeof connectVersion !== 'number') throw new DataException(`Invalid Connect version found: ${String(connectVersion)}`);
      b.version(connectVersion);
    } else if (version !== undefined && version >= 0) {
      b.version(version);
    }
    const params = props[CONNECT_PARAMETERS_PROP];
    if (this.opts.connectMetaData && params !== undefined) {
      if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new DataException(`Expected JSON object for schema parameters but found: ${JSON.stringify(params)}`);
      for (const [k, v] of Object.entries(params)) {
        if (typeof v !== 'string') throw new DataException(`Expected schema parameter values to be strings but found: ${JSON.stringify(v)}`);
        b.parameter(k, v);
      }
    }
    for (const [k, v] of Object.entries(props)) if (k.startsWith('avro')) b.parameter(k, typeof v === 'string' ? v : JSON.stringify(v));

    const connectDefault = props[CONNECT_DEFAULT_VALUE_PROP];
    let defaultJson = fieldDefault;
    if (defaultJson === undefined) defaultJson = connectDefault;
    else if (connectDefault === undefined) b.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, 'true');

    let name: string | undefined;
    const connectName = props[CONNECT_NAME_PROP];
    if (connectName !== undefined) {
      if (typeof connectName !== 'string') throw new DataException(`Invalid schema name: ${JSON.stringify(connectName)}`);
      name = connectName;
    } else if (node.kind === 'record' || node.kind === 'enum') {
      name = node.fullName;
    }
    if (name !== undefined && !DEFAULT_NAME_PATTERN.test(name)) {
      if (b.build().name !== undefined && b.build().name !== name) {
        throw new DataException(`Mismatched names: name already added to SchemaBuilder (${b.build().name}) differs from name in source schema (${name})`);
      }
      b.name(name);
    }
    if (forceOptional) b.optional();
    if (defaultJson !== undefined && defaultJson !== null && b.type !== 'struct') {
      const partial = b.build();
      b.defaultValue(this.defaultValueFromAvro(partial, node, defaultJson));
    }
    return b.build();
  }

  private bytesBuilder(props: Record<string, unknown>, logicalType: string | undefined): SchemaBuilder {
    if (logicalType !== 'decimal') return SchemaBuilder.bytes();
    const scale = props.scale;
    if (typeof scale !== 'number') throw new DataException('scale must be specified and must be a number.');
    const b = Decimal.builder(scale);
    const precision = props.precision;
    if (precision !== undefined) {
      if (typeof precision !== 'number') throw new DataException('precision property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal');
      if (precision !== CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT) b.parameter(CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(precision));
    }
    return b;
  }

  /** An Avro JSON default as a Connect value of the given schema. */
  private defaultValueFromAvro(schema: Schema, node: AvroNode, json: unknown): unknown {
    if (json === null || json === undefined) return null;
    let raw: unknown;
    switch (node.kind) {
      case 'union': {
        const first = node.types[0];
        if (isNull(first)) return null;
        const target = schema.name === AVRO_TYPE_UNION ? schema.field(this.unionMemberFieldName(first))?.schema : schema;
        return target ? this.defaultValueFromAvro(target, first, json) : null;
      }
      case 'primitive':
        switch (node.type) {
          case 'int': case 'long': case 'float': case 'double': case 'boolean': case 'string':
            raw = json;
            break;
          case 'bytes':
            raw = Buffer.from(String(json), 'latin1');
            break;
          default:
            return null;
        }
        break;
      case 'enum':
        raw = String(json);
        break;
      case 'fixed':
        raw = Buffer.from(String(json), 'latin1');
        break;
      case 'array':
        if (!Array.isArray(json)) throw new DataException(`Invalid JSON for array default value: ${JSON.stringify(json)}`);
        return json.map((e) => this.defaultValueFromAvro(schema.valueSchema!, node.items, e));
      case 'map':
        if (typeof json !== 'object' || Array.isArray(json)) throw new DataException(`Invalid JSON for map default value: ${JSON.stringify(json)}`);
        return new Map(Object.entries(json as object).map(([k, v]) => [k, this.defaultValueFromAvro(schema.valueSchema!, node.values, v)]));
      case 'record':
        return null;
    }
    return toConnectLogical(schema, raw);
  }

  // ---- Avro value -> Connect value ----------------------------------------------------------

  /** avsc's decoded value as the Connect value of `schema` (from toConnectSchema of the same node). */
  toConnectData(schema: Schema, node: AvroNode, value: unknown, path = 'value'): unknown {
    if (value === null || value === undefined) {
      if (!schema.optional) throw new DataException(`Found null value for non-optional schema at "${path}"`);
      return null;
    }
    if (node.kind === 'union') {
      const [branch] = Object.keys(value as object);
      const member = node.types.find((t) => !isNull(t) && branchName(t) === branch);
      if (!member) throw new DataException(`Avro union value at "${path}" has unknown branch "${branch}"`);
      const inner = (value as Record<string, unknown>)[branch];
      if (schema.name === AVRO_TYPE_UNION && schema.type === 'struct') {
        const fieldName = this.unionMemberFieldName(member);
        const field = schema.field(fieldName);
        if (!field) throw new DataException(`Did not find matching union field for data at "${path}"`);
        return new Struct(schema).put(field, this.toConnectData(field.schema, member, inner, path));
      }
      return this.toConnectData(schema, member, inner, path);
    }
    let converted: unknown;
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32': case 'float32': case 'float64': case 'boolean':
        converted = value;
        break;
      case 'int64':
        converted = value;
        break;
      case 'string':
        converted = String(value);
        break;
      case 'bytes':
        converted = Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
        break;
      case 'array': {
        if (node.kind !== 'array') throw mismatch(schema, node, path);
        converted = (value as unknown[]).map((e, i) => this.toConnectData(schema.valueSchema!, node.items, e, `${path}[${i}]`));
        break;
      }
      case 'map': {
        const m = new Map<unknown, unknown>();
        if (node.kind === 'map') {
          for (const [k, v] of Object.entries(value as object)) m.set(k, this.toConnectData(schema.valueSchema!, node.values, v, `${path}.${k}`));
        } else if (node.kind === 'array' && node.items.kind === 'record') {
          const entry = node.items;
          const keyNode = entry.fields.find((f) => f.name === 'key')!.type;
          const valueNode = entry.fields.find((f) => f.name === 'value')!.type;
          for (const e of value as Array<Record<string, unknown>>) {
            m.set(this.toConnectData(schema.keySchema!, keyNode, e.key, `${path}.<key>`), this.toConnectData(schema.valueSchema!, valueNode, e.value, `${path}[]`));
          }
        } else {
          throw mismatch(schema, node, path);
        }
        converted = m;
        break;
      }
      case 'struct': {
        if (node.kind !== 'record') throw mismatch(schema, node, path);
        const rec = value as Record<string, unknown>;
        const s = new Struct(schema);
        for (const f of schema.fields) {
          const af: AvroField | undefined = node.fields.find((x) => x.name === f.name);
          s.put(f, af ? this.toConnectData(f.schema, af.type, rec[f.name], f.name) : null);
        }
        converted = s;
        break;
      }
    }
    return toConnectLogical(schema, converted);
  }

  private unionMemberFieldName(node: AvroNode): string {
    if (node.kind === 'record' || node.kind === 'enum') return this.opts.enhancedSchemaSupport ? node.fullName : shortName(node.fullName);
    if (node.kind === 'primitive') return node.type;
    return node.kind;
  }
}

// ---- helpers ----------------------------------------------------------------------------------

function isNull(node: AvroNode): boolean {
  return node.kind === 'primitive' && node.type === 'null';
}

function isMapEntry(node: Extract<AvroNode, { kind: 'record' }>): boolean {
  return node.fullName === `${NAMESPACE}.${MAP_ENTRY_TYPE_NAME}` || node.props[CONNECT_INTERNAL_TYPE_NAME] === MAP_ENTRY_TYPE_NAME;
}

/** The union branch that holds a value of this (optional) Connect schema. */
function pickBranch(schema: Schema, node: Extract<AvroNode, { kind: 'union' }>): AvroNode {
  const candidates = node.types.filter((t) => !isNull(t));
  if (candidates.length === 1) return candidates[0];
  const wanted = AVRO_KIND_FOR_CONNECT[schema.type];
  const byName = candidates.find((t) => (t.kind === 'record' || t.kind === 'enum' || t.kind === 'fixed') && t.fullName === schema.name);
  if (byName) return byName;
  const byKind = candidates.find((t) => (t.kind === 'primitive' ? wanted.includes(t.type) : wanted.includes(t.kind)));
  if (byKind) return byKind;
  throw new DataException(`No branch of the Avro union ${JSON.stringify(candidates.map(branchName))} can hold a ${schema.type} value`);
}

const AVRO_KIND_FOR_CONNECT: Record<Schema['type'], string[]> = {
  int8: ['int'], int16: ['int'], int32: ['int'], int64: ['long'], float32: ['float'], float64: ['double'], boolean: ['boolean'],
  string: ['string', 'enum'], bytes: ['bytes', 'fixed'], array: ['array'], map: ['map', 'array'], struct: ['record'],
};

function toAvroLogical(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(value instanceof BigDecimal)) throw new DataException(`Invalid type for Decimal, expected BigDecimal but was ${typeof value}`);
      return Decimal.fromLogical(schema, value);
    case ConnectDate.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataException(`Invalid type for Date, expected Date but was ${typeof value}`);
      return ConnectDate.fromLogical(value);
    case ConnectTime.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataException(`Invalid type for Time, expected Date but was ${typeof value}`);
      return ConnectTime.fromLogical(value);
    case ConnectTimestamp.LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataException(`Invalid type for Timestamp, expected Date but was ${typeof value}`);
      return ConnectTimestamp.fromLogical(value);
    default:
      return value;
  }
}

function toConnectLogical(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      if (!(value instanceof Uint8Array)) throw new DataException('Invalid type for Decimal, underlying representation should be bytes');
      return Decimal.toLogical(schema, value);
    case ConnectDate.LOGICAL_NAME:
      if (typeof value !== 'number') throw new DataException('Invalid type for Date, underlying representation should be int32');
      return ConnectDate.toLogical(value);
    case ConnectTime.LOGICAL_NAME:
      if (typeof value !== 'number') throw new DataException('Invalid type for Time, underlying representation should be int32');
      return ConnectTime.toLogical(value);
    case ConnectTimestamp.LOGICAL_NAME:
      if (typeof value !== 'number' && typeof value !== 'bigint') throw new DataException('Invalid type for Timestamp, underlying representation should be int64');
      return ConnectTimestamp.toLogical(value);
    default:
      return value;
  }
}

/** Splits `a.b.C` into namespace `a.b` and name `C`. */
export function splitName(fullName: string): [string | undefined, string] {
  const i = fullName.lastIndexOf('.');
  return i >= 0 ? [fullName.slice(0, i), fullName.slice(i + 1)] : [undefined, fullName];
}

/** The same schema, required (AvroData.nonOptional). */
export function nonOptional(schema: Schema): Schema {
  if (!schema.optional) return schema;
  const b = SchemaBuilder.from(schema).required();
  for (const f of schema.fields) b.field(f.name, f.schema);
  return b.build();
}

function typeError(schema: Schema, value: unknown, path: string): DataException {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : value instanceof Uint8Array ? 'bytes' : typeof value;
  return new DataException(`Invalid type for ${schema.type.toUpperCase()} at "${path}": ${got}`);
}

function mismatch(schema: Schema, node: AvroNode, path: string): DataException {
  return new DataException(`The Avro schema (${node.kind === 'union' ? 'union' : branchName(node)}) does not match the Connect ${schema.type} schema at "${path}"`);
}
