/**
 * An Avro schema (its JSON form) resolved into a tree: full names resolved against enclosing
 * namespaces, name references replaced by the named definition, and every node's extra attributes
 * (`connect.name`, `logicalType`, ...) kept, since avsc drops them and AvroData needs them.
 */
import { DataException } from '../../errors.ts';

export type AvroPrimitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';
export const AVRO_PRIMITIVES: readonly AvroPrimitive[] = [
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
];

export type Props = Record<string, unknown>;

export interface AvroField {
  name: string;
  type: AvroNode;
  doc: string | undefined;
  /** The field's JSON default; `undefined` when it has none (a JSON null default is `null`). */
  default: unknown;
}

export type AvroNode =
  | { kind: 'primitive'; type: AvroPrimitive; props: Props }
  | { kind: 'record'; fullName: string; doc: string | undefined; fields: AvroField[]; props: Props }
  | {
      kind: 'enum';
      fullName: string;
      doc: string | undefined;
      symbols: string[];
      default: string | undefined;
      props: Props;
    }
  | { kind: 'fixed'; fullName: string; size: number; props: Props }
  | { kind: 'array'; items: AvroNode; props: Props }
  | { kind: 'map'; values: AvroNode; props: Props }
  | { kind: 'union'; types: AvroNode[] };

const RESERVED: Record<string, readonly string[]> = {
  primitive: ['type'],
  record: ['type', 'name', 'namespace', 'doc', 'fields', 'aliases'],
  enum: ['type', 'name', 'namespace', 'doc', 'symbols', 'aliases', 'default'],
  fixed: ['type', 'name', 'namespace', 'size', 'aliases'],
  array: ['type', 'items'],
  map: ['type', 'values'],
};

/** The name avsc gives a union branch of this type (wrapped unions are keyed by it). */
export function branchName(node: AvroNode): string {
  switch (node.kind) {
    case 'primitive':
      return node.type;
    case 'record':
    case 'enum':
    case 'fixed':
      return node.fullName;
    case 'array':
      return 'array';
    case 'map':
      return 'map';
    case 'union':
      throw new DataException('Unions may not immediately contain other unions');
  }
}

/** Parses schema text (or an already-parsed JSON value) into a resolved tree. */
export function parseAvroSchema(schema: string | unknown): AvroNode {
  let json: unknown = schema;
  if (typeof schema === 'string') {
    try {
      json = JSON.parse(schema);
    } catch {
      // A bare primitive name such as `string` is valid schema text too.
      json = schema.trim();
    }
  }
  return resolve(json, undefined, new Map());
}

function fullNameOf(name: string, namespace: string | undefined): string {
  if (name.includes('.')) return name;
  return namespace ? `${namespace}.${name}` : name;
}

function extraProps(obj: Record<string, unknown>, kind: keyof typeof RESERVED): Props {
  const props: Props = {};
  for (const [k, v] of Object.entries(obj)) if (!RESERVED[kind].includes(k)) props[k] = v;
  return props;
}

function resolve(json: unknown, namespace: string | undefined, named: Map<string, AvroNode>): AvroNode {
  if (typeof json === 'string') {
    if ((AVRO_PRIMITIVES as readonly string[]).includes(json))
      return { kind: 'primitive', type: json as AvroPrimitive, props: {} };
    const found = named.get(fullNameOf(json, namespace)) ?? named.get(json);
    if (!found) throw new DataException(`Undefined Avro type name "${json}"`);
    return found;
  }
  if (Array.isArray(json)) return { kind: 'union', types: json.map((t) => resolve(t, namespace, named)) };
  if (json === null || typeof json !== 'object')
    throw new DataException(`Invalid Avro schema: ${JSON.stringify(json)}`);
  const obj = json as Record<string, unknown>;
  const type = obj.type;
  if (typeof type === 'string' && (AVRO_PRIMITIVES as readonly string[]).includes(type)) {
    return { kind: 'primitive', type: type as AvroPrimitive, props: extraProps(obj, 'primitive') };
  }
  if (typeof type !== 'string') {
    // `{"type": {...}}` or `{"type": [...]}` wraps another schema.
    return resolve(type, namespace, named);
  }
  switch (type) {
    case 'record':
    case 'error': {
      const fullName = fullNameOf(
        String(obj.name),
        typeof obj.namespace === 'string' ? obj.namespace || undefined : namespace,
      );
      const node: AvroNode = {
        kind: 'record',
        fullName,
        doc: typeof obj.doc === 'string' ? obj.doc : undefined,
        fields: [],
        props: extraProps(obj, 'record'),
      };
      named.set(fullName, node);
      const ns = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : undefined;
      if (!Array.isArray(obj.fields)) throw new DataException(`Avro record ${fullName} has no "fields" array`);
      for (const f of obj.fields as Array<Record<string, unknown>>) {
        node.fields.push({
          name: String(f.name),
          type: resolve(f.type, ns, named),
          doc: typeof f.doc === 'string' ? f.doc : undefined,
          default: f.default,
        });
      }
      return node;
    }
    case 'enum': {
      const fullName = fullNameOf(
        String(obj.name),
        typeof obj.namespace === 'string' ? obj.namespace || undefined : namespace,
      );
      const node: AvroNode = {
        kind: 'enum',
        fullName,
        doc: typeof obj.doc === 'string' ? obj.doc : undefined,
        symbols: (obj.symbols as string[]) ?? [],
        default: typeof obj.default === 'string' ? obj.default : undefined,
        props: extraProps(obj, 'enum'),
      };
      named.set(fullName, node);
      return node;
    }
    case 'fixed': {
      const fullName = fullNameOf(
        String(obj.name),
        typeof obj.namespace === 'string' ? obj.namespace || undefined : namespace,
      );
      const node: AvroNode = { kind: 'fixed', fullName, size: Number(obj.size), props: extraProps(obj, 'fixed') };
      named.set(fullName, node);
      return node;
    }
    case 'array':
      return { kind: 'array', items: resolve(obj.items, namespace, named), props: extraProps(obj, 'array') };
    case 'map':
      return { kind: 'map', values: resolve(obj.values, namespace, named), props: extraProps(obj, 'map') };
    default: {
      const found = named.get(fullNameOf(type, namespace)) ?? named.get(type);
      if (!found) throw new DataException(`Undefined Avro type name "${type}"`);
      return found;
    }
  }
}
