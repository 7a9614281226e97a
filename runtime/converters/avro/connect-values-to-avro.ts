/**
 * Connect values to avsc's Avro values, as Confluent's AvroData.fromConnectData: union branches
 * (`{branch: value}`), MapEntry arrays for maps with non-string keys, fixed sizes checked; and a
 * compiled form per (Connect schema, Avro schema) pair for the per-record path.
 */
import { DataException } from '../../errors.ts';
import { type Schema, mapEntries } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { type AvroNode, branchName } from './avro-schema-tree.ts';
import type { AvroToConnect } from './avro-to-connect.ts';
import { AVRO_TYPE_UNION, LOGICAL } from './avro-names.ts';
import { isNull, pickBranch, toAvroLogical, mismatch } from './avro-data-helpers.ts';
import { nonOptional, typeError } from '../registry-data-helpers.ts';

export class ConnectValuesToAvro {
  private readonly compiled = new WeakMap<Schema, Map<AvroNode, (value: unknown) => unknown>>();

  /** `toConnect` names the members of a union struct (the reverse mapping decides them). */
  constructor(private readonly toConnect: AvroToConnect) {}

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
          const branch = node.types.find((t) => !isNull(t) && this.toConnect.unionMemberFieldName(t) === f.name);
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
      case 'int8':
      case 'int16':
      case 'int32':
        if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(schema, v, path);
        return v;
      case 'int64':
        if (typeof v === 'bigint') return v;
        if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(schema, v, path);
        return v;
      case 'float32':
      case 'float64':
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
        if (node.kind === 'fixed' && v.length !== node.size)
          throw new DataException(
            `Bytes at "${path}" are ${v.length} long but the Avro fixed type ${node.fullName} has size ${node.size}`,
          );
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
          for (const [k, e] of entries)
            out[String(k)] = this.fromConnectData(schema.valueSchema!, node.values, e, `${path}.${String(k)}`);
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
    if (schema.name !== undefined && LOGICAL.has(schema.name))
      return (v) => this.fromConnectData(schema, node, v, path);
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return (v) => {
          if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError(schema, v, path);
          return v;
        };
      case 'int64':
        return (v) => {
          if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return v;
          throw typeError(schema, v, path);
        };
      case 'float32':
      case 'float64':
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
          return {
            index: f.index,
            name: f.name,
            fallback: d === undefined ? null : d,
            write: this.compile(f.schema, af.type, f.name),
          };
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
}
