/**
 * The outbox EventRouter's `table.expand.json.payload`: a JSON text payload becomes a Connect
 * struct, with the schema inferred as Debezium's JsonSchemaData infers it (Jackson node types: an
 * integral literal within int32 is INT32, within int64 INT64, any other number FLOAT64; every
 * schema optional; structs named by their path from the payload field, `payload.lines`; empty
 * arrays and, unless `table.json.payload.null.behavior=optional_bytes`, null fields left out;
 * arrays must be homogeneous; arrays of objects take the union of their fields).
 */
import { ConnectException, DataException } from '../../sdk/errors.ts';
import { SchemaBuilder, Schemas, type Schema, Struct } from '../../sdk/data.ts';
import { copySchemaBasics } from '../util/schema-util.ts';

type Node =
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'number'; text: string }
  | { kind: 'array'; items: Node[] }
  | { kind: 'object'; entries: Map<string, Node> };

/**
 * A JSON document as Jackson's ObjectMapper.readTree reads it: the first value, text after it
 * ignored; numbers keep their literal (int/long/double typing needs it).
 */
export function parseJsonTree(text: string): Node {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at position ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const value = (): Node => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries = new Map<string, Node>();
      ws();
      if (text[i] === '}') return (i++, { kind: 'object', entries });
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = (value() as { value: string }).value;
        ws();
        if (text[i++] !== ':') fail();
        entries.set(key, value());
        ws();
        const next = text[i++];
        if (next === '}') return { kind: 'object', entries };
        if (next !== ',') fail();
      }
    }
    if (c === '[') {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === ']') return (i++, { kind: 'array', items });
      for (;;) {
        items.push(value());
        ws();
        const next = text[i++];
        if (next === ']') return { kind: 'array', items };
        if (next !== ',') fail();
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) fail();
      // JSON.parse checks the escapes and refuses raw control characters, as Jackson does.
      const literal = text.slice(i, j + 1);
      i = j + 1;
      return { kind: 'string', value: JSON.parse(literal) as string };
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!m) return fail();
    i += m[0].length;
    if (m[0] === 'true' || m[0] === 'false') return { kind: 'boolean', value: m[0] === 'true' };
    if (m[0] === 'null') return { kind: 'null' };
    return { kind: 'number', text: m[0] };
  };
  return value();
}

type NumberKind = 'int' | 'long' | 'double';
function numberKind(text: string): NumberKind {
  if (/[.eE]/.test(text)) return 'double';
  const n = BigInt(text);
  if (n >= -(2n ** 31n) && n < 2n ** 31n) return 'int';
  return n >= -(2n ** 63n) && n < 2n ** 63n ? 'long' : 'double';
}

export class JsonPayloadSchemas {
  constructor(private readonly nullAsOptionalBytes: boolean) {}

  /** JsonSchemaData.toConnectSchema: null where the node yields no field. */
  schemaOf(key: string | null, node: Node): Schema | null {
    switch (node.kind) {
      case 'string':
        return Schemas.OPTIONAL_STRING;
      case 'boolean':
        return Schemas.OPTIONAL_BOOLEAN;
      case 'number': {
        const kind = numberKind(node.text);
        return kind === 'int'
          ? Schemas.OPTIONAL_INT32
          : kind === 'long'
            ? Schemas.OPTIONAL_INT64
            : Schemas.OPTIONAL_FLOAT64;
      }
      case 'array':
        return node.items.length === 0 ? null : SchemaBuilder.array(this.elementSchema(key, node)).optional().build();
      case 'object': {
        const b = SchemaBuilder.struct().optional();
        if (key !== null) b.name(key);
        const seen = new Set<string>();
        for (const [name, child] of node.entries) {
          const s = this.schemaOf(key === null || key.trim() === '' ? name : `${key}.${name}`, child);
          if (s !== null && !seen.has(name)) {
            seen.add(name);
            b.field(name, s);
          }
        }
        return b.build();
      }
      case 'null':
        return this.nullAsOptionalBytes ? Schemas.OPTIONAL_BYTES : null;
    }
  }

  private elementSchema(key: string | null, array: { items: Node[] }): Schema {
    let sample: Node = { kind: 'null' };
    let sampleSchema: Schema | null = null;
    for (const e of array.items) {
      if (e.kind === 'null') continue;
      if (sample.kind === 'null') sample = e;
      if (e.kind !== sample.kind)
        throw new ConnectException(`Field is not a homogenous array (${sample.kind} x ${e.kind}).`);
      if (sample.kind === 'number') {
        sampleSchema ??= this.schemaOf(null, sample);
        if (this.schemaOf(null, e) !== sampleSchema)
          throw new ConnectException('Field is not a homogenous array, different number types');
      }
    }
    if (sample.kind === 'object') {
      let merged: Schema | null = null;
      for (const e of array.items) if (e.kind === 'object') merged = merge(merged, this.schemaOf(key, e)!);
      return merged!;
    }
    const s = this.schemaOf(null, sample);
    if (s === null) throw new ConnectException('Array has unrecognized member schema.');
    return s;
  }
}

/** Fields of both, the left's first; a BYTES field (from a null) gives way to a typed one. Required, as copySchemaBasics builds it. */
function merge(left: Schema | null, right: Schema): Schema {
  if (left === null) return right;
  const fields = new Map(left.fields.map((f) => [f.name, f.schema]));
  for (const f of right.fields) {
    const old = fields.get(f.name);
    if (old === undefined || (old.type === 'bytes' && f.schema.type !== 'bytes')) fields.set(f.name, f.schema);
  }
  const b = copySchemaBasics(left, SchemaBuilder.struct());
  for (const [name, s] of fields) b.field(name, s);
  return b.build();
}

/** JsonSchemaData.toConnectData: the struct of an object node (other roots fail, as Debezium's). */
export function jsonToStruct(node: Node, schema: Schema): Struct {
  if (node.kind !== 'object' || schema.type !== 'struct')
    throw new DataException(`Not a struct schema: ${schema.type}`);
  const out = new Struct(schema);
  for (const f of schema.fields) {
    const child = node.entries.get(f.name);
    if (child !== undefined) out.put(f.name, fieldValue(child, f.schema));
  }
  return out;
}

function fieldValue(node: Node, schema: Schema): unknown {
  switch (node.kind) {
    case 'string':
    case 'boolean':
      return node.value;
    case 'number': {
      const kind = numberKind(node.text);
      if (kind === 'double') return Number(node.text);
      const n = BigInt(node.text);
      return Number.isSafeInteger(Number(n)) ? Number(n) : n;
    }
    case 'array':
      return node.items.map((e) => fieldValue(e, schema.valueSchema!));
    case 'object':
      return jsonToStruct(node, schema);
    case 'null':
      return null;
  }
}
