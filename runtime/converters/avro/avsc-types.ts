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
    for (const r of referenced) avro.Type.forSchema(r as avro.Schema, { wrapUnions: true, registry });
    return avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true, registry });
  } catch (err) {
    throw new DataException(`Invalid Avro schema ${truncate(jsonText(schema))}: ${(err as Error).message}`, { cause: err });
  }
}

function truncate(s: string): string {
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}
