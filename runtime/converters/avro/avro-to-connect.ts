/**
 * Avro schemas and values to Connect ones, as Confluent's AvroData.toConnectSchema and
 * toConnectData (see avro-data.ts for the mapping both directions share).
 */
import { DataException } from '../../errors.ts';
import { type Schema, SchemaBuilder } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../data/logical.ts';
import { type AvroField, type AvroNode, branchName } from './avro-schema-tree.ts';
import { shortName } from '../registry-data-helpers.ts';
import {
  CONNECT_NAME_PROP,
  CONNECT_DOC_PROP,
  CONNECT_VERSION_PROP,
  CONNECT_DEFAULT_VALUE_PROP,
  CONNECT_PARAMETERS_PROP,
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
  DEFAULT_NAME_PATTERN,
} from './avro-names.ts';
import { isNull, isMapEntry, toConnectLogical, mismatch } from './avro-data-helpers.ts';
import type { AvroDataOptions } from './avro-names.ts';

export class AvroToConnect {
  constructor(private readonly opts: AvroDataOptions) {}
  // ---- Avro schema -> Connect schema --------------------------------------------------------

  /** The Connect schema for an Avro schema; `version` (the registry's) applies when it has no connect.version. */
  toConnectSchema(node: AvroNode, version?: number): Schema {
    return this.toSchema(node, false, undefined, new Set(), version);
  }

  private toSchema(
    node: AvroNode,
    forceOptional: boolean,
    fieldDefault: unknown,
    visiting: Set<AvroNode>,
    version?: number,
  ): Schema {
    if (node.kind === 'union') {
      if (node.types.length === 2 && node.types.some(isNull)) {
        return this.toSchema(
          node.types.find((t) => !isNull(t))!,
          true,
          undefined,
          visiting,
        );
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
    if (visiting.has(node))
      throw new DataException(
        `Recursive Avro schemas cannot be converted to Connect schemas (${branchName(node)} refers to itself)`,
      );
    const props = node.props;
    const logicalType = typeof props.logicalType === 'string' ? props.logicalType : undefined;
    let b: SchemaBuilder;
    switch (node.kind) {
      case 'primitive':
        switch (node.type) {
          case 'boolean':
            b = SchemaBuilder.bool();
            break;
          case 'double':
            b = SchemaBuilder.float64();
            break;
          case 'float':
            b = SchemaBuilder.float32();
            break;
          case 'string':
            b = SchemaBuilder.string();
            break;
          case 'long':
            b = logicalType === 'timestamp-millis' ? ConnectTimestamp.builder() : SchemaBuilder.int64();
            break;
          case 'int': {
            const connectType = props[CONNECT_TYPE_PROP];
            if (logicalType === 'date') b = ConnectDate.builder();
            else if (logicalType === 'time-millis') b = ConnectTime.builder();
            else if (connectType === 'int8') b = SchemaBuilder.int8();
            else if (connectType === 'int16') b = SchemaBuilder.int16();
            else if (connectType !== undefined && logicalType === undefined)
              throw new DataException(`Unknown Connect type annotation "${String(connectType)}" for an Avro int`);
            else b = SchemaBuilder.int32();
            break;
          }
          case 'bytes':
            b = this.bytesBuilder(props, logicalType);
            break;
          case 'null':
            throw new DataException('Standalone null schemas are not supported by this converter');
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
          if (items.fields.length !== 2 || !key || !value)
            throw new DataException(
              'Found map encoded as array of key-value pairs, but array elements do not match the expected format.',
            );
          b = SchemaBuilder.map(
            this.toSchema(key.type, false, undefined, visiting),
            this.toSchema(value.type, false, undefined, visiting),
          );
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

    if (this.opts.connectMetaData && typeof props[CONNECT_DOC_PROP] === 'string')
      b.doc(props[CONNECT_DOC_PROP] as string);
    const connectVersion = props[CONNECT_VERSION_PROP];
    if (connectVersion !== undefined) {
      if (typeof connectVersion !== 'number')
        throw new DataException(`Invalid Connect version found: ${String(connectVersion)}`);
      b.version(connectVersion);
    } else if (version !== undefined && version >= 0) {
      b.version(version);
    }
    const params = props[CONNECT_PARAMETERS_PROP];
    if (this.opts.connectMetaData && params !== undefined) {
      if (params === null || typeof params !== 'object' || Array.isArray(params))
        throw new DataException(`Expected JSON object for schema parameters but found: ${JSON.stringify(params)}`);
      for (const [k, v] of Object.entries(params)) {
        if (typeof v !== 'string')
          throw new DataException(`Expected schema parameter values to be strings but found: ${JSON.stringify(v)}`);
        b.parameter(k, v);
      }
    }
    for (const [k, v] of Object.entries(props))
      if (k.startsWith('avro')) b.parameter(k, typeof v === 'string' ? v : JSON.stringify(v));

    const connectDefault = props[CONNECT_DEFAULT_VALUE_PROP];
    let defaultJson = fieldDefault;
    if (defaultJson === undefined) defaultJson = connectDefault;
    else if (connectDefault === undefined) b.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, 'true');

    let name: string | undefined;
    const connectName = props[CONNECT_NAME_PROP];
    if (connectName !== undefined) {
      if (typeof connectName !== 'string')
        throw new DataException(`Invalid schema name: ${JSON.stringify(connectName)}`);
      name = connectName;
    } else if (node.kind === 'record' || node.kind === 'enum') {
      name = node.fullName;
    }
    if (name !== undefined && !DEFAULT_NAME_PATTERN.test(name)) {
      if (b.build().name !== undefined && b.build().name !== name) {
        throw new DataException(
          `Mismatched names: name already added to SchemaBuilder (${b.build().name}) differs from name in source schema (${name})`,
        );
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
      if (typeof precision !== 'number')
        throw new DataException(
          'precision property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal',
        );
      if (precision !== CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT)
        b.parameter(CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(precision));
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
        const target =
          schema.name === AVRO_TYPE_UNION ? schema.field(this.unionMemberFieldName(first))?.schema : schema;
        return target ? this.defaultValueFromAvro(target, first, json) : null;
      }
      case 'primitive':
        switch (node.type) {
          case 'int':
          case 'long':
          case 'float':
          case 'double':
          case 'boolean':
          case 'string':
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
        if (!Array.isArray(json))
          throw new DataException(`Invalid JSON for array default value: ${JSON.stringify(json)}`);
        return json.map((e) => this.defaultValueFromAvro(schema.valueSchema!, node.items, e));
      case 'map':
        if (typeof json !== 'object' || Array.isArray(json))
          throw new DataException(`Invalid JSON for map default value: ${JSON.stringify(json)}`);
        return new Map(
          Object.entries(json as object).map(([k, v]) => [
            k,
            this.defaultValueFromAvro(schema.valueSchema!, node.values, v),
          ]),
        );
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
      case 'int8':
      case 'int16':
      case 'int32':
      case 'float32':
      case 'float64':
      case 'boolean':
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
        converted = (value as unknown[]).map((e, i) =>
          this.toConnectData(schema.valueSchema!, node.items, e, `${path}[${i}]`),
        );
        break;
      }
      case 'map': {
        const m = new Map<unknown, unknown>();
        if (node.kind === 'map') {
          for (const [k, v] of Object.entries(value as object))
            m.set(k, this.toConnectData(schema.valueSchema!, node.values, v, `${path}.${k}`));
        } else if (node.kind === 'array' && node.items.kind === 'record') {
          const entry = node.items;
          const keyNode = entry.fields.find((f) => f.name === 'key')!.type;
          const valueNode = entry.fields.find((f) => f.name === 'value')!.type;
          for (const e of value as Array<Record<string, unknown>>) {
            m.set(
              this.toConnectData(schema.keySchema!, keyNode, e.key, `${path}.<key>`),
              this.toConnectData(schema.valueSchema!, valueNode, e.value, `${path}[]`),
            );
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

  unionMemberFieldName(node: AvroNode): string {
    if (node.kind === 'record' || node.kind === 'enum')
      return this.opts.enhancedSchemaSupport ? node.fullName : shortName(node.fullName);
    if (node.kind === 'primitive') return node.type;
    return node.kind;
  }
}
