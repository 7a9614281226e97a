/**
 * avsc types for resolved schemas: unions wrapped (`{branch: value}`, so the converter picks the
 * branch, never avsc's guess) and longs as numbers when safe, bigints beyond 2^53.
 */
import avro from 'avsc';
import { DataException } from '../../errors.ts';
import { jsonText } from './json-text.ts';

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const LongType = (avro.types.LongType as unknown as { __with(methods: Record<string, unknown>): avro.Type }).__with({
  fromBuffer: (buf: Buffer): number | bigint => {
    const v = buf.readBigInt64LE();
    return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
  },
  toBuffer: (n: number | bigint): Buffer => {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64LE(BigInt(n));
    return b;
  },
  fromJSON: (v: number | bigint) => v,
  toJSON: (v: number | bigint) => (typeof v === 'bigint' ? Number(v) : v),
  isValid: (n: unknown) => typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n)),
  compare: (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

/** An avsc type for an Avro schema (JSON), after the schemas it references (same registry). */
export function avscType(schema: unknown, referenced: unknown[] = []): avro.Type {
  const registry: Record<string, avro.Type> = { long: LongType };
  try {
    for (const r of referenced)
      avro.Type.forSchema(r as avro.Schema, { wrapUnions: true, registry, typeHook: boundedBlocks as never });
    return avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true, registry, typeHook: boundedBlocks as never });
  } catch (err) {
    throw new DataException(`Invalid Avro schema ${truncate(jsonText(schema))}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function truncate(s: string): string {
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

/** The parts of avsc's (undocumented) decoding internals that the bounded readers rely on. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
}
interface ReadableType {
  typeName: string;
  _read(tap: Tap): unknown;
}
type TypeClass = new (schema: unknown, opts: unknown) => avro.Type;

/**
 * avsc reads an array or map block of the count the data gives, item by item, even past the end of
 * the buffer (its reads fail silently there): a corrupt count of 2^31 fills the heap. These
 * subclasses allow a block no more items than bytes are left (every item but a null takes at least
 * one), checked before reading it.
 */
const BoundedArrayType = class extends (avro.types.ArrayType as unknown as TypeClass) {
  _read(tap: Tap): unknown[] {
    const items = (this as unknown as { itemsType: ReadableType }).itemsType;
    const out: unknown[] = [];
    for (
      let n = blockSize(tap, items.typeName === 'null', 'array');
      n;
      n = blockSize(tap, items.typeName === 'null', 'array')
    ) {
      while (n--) out.push(items._read(tap));
    }
    return out;
  }
};

const BoundedMapType = class extends (avro.types.MapType as unknown as TypeClass) {
  _read(tap: Tap): Record<string, unknown> {
    const values = (this as unknown as { valuesType: ReadableType }).valuesType;
    const out: Record<string, unknown> = {};
    for (let n = blockSize(tap, false, 'map'); n; n = blockSize(tap, false, 'map')) {
      while (n--) out[tap.readString()] = values._read(tap);
    }
    return out;
  }
};

function boundedBlocks(schema: unknown, opts: unknown): avro.Type | undefined {
  const type = (schema as { type?: unknown } | null)?.type;
  if (type === 'array') return new BoundedArrayType(schema, opts);
  if (type === 'map') return new BoundedMapType(schema, opts);
  // `{"type":"long", "connect.name": ...}` (Timestamp, MicroTimestamp...) is not looked up in the registry
  if (type === 'long') return LongType;
  return undefined;
}

const MAX_NULL_ITEMS = 10_000_000;

function blockSize(tap: Tap, zeroSizeItems: boolean, what: string): number {
  let n = tap.readLong();
  if (n < 0) {
    n = -n;
    tap.skipLong(); // the block's size in bytes
  }
  if (!Number.isFinite(n) || n === 0) return 0;
  const left = tap.buf.length - tap.pos;
  if (zeroSizeItems ? n > MAX_NULL_ITEMS : n > left)
    throw new DataException(`${what} block of ${n} items at byte ${tap.pos} is longer than the ${left} bytes left`);
  return n;
}
