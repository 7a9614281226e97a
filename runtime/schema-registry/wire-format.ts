/**
 * Confluent's wire format: magic byte 0, the schema id as 4 bytes big-endian, then (Protobuf only)
 * the message indexes, then the serialized data. Message indexes are a zigzag-varint count followed
 * by zigzag-varint indexes, with the common `[0]` written as the single byte 0.
 */
import { DataException } from '../errors.ts';

export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

export function writeHeader(schemaId: number, payload: Uint8Array, messageIndexes?: readonly number[]): Buffer {
  const indexes = messageIndexes ? encodeMessageIndexes(messageIndexes) : undefined;
  const out = Buffer.allocUnsafe(HEADER_SIZE + (indexes?.length ?? 0) + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeUInt32BE(schemaId >>> 0, 1);
  let pos = HEADER_SIZE;
  if (indexes) pos += indexes.copy(out, pos);
  out.set(payload, pos);
  return out;
}

/** The schema id and where the payload starts; DataException for bytes not in the wire format. */
export function readHeader(bytes: Buffer): { schemaId: number; offset: number } {
  if (bytes.length < HEADER_SIZE)
    throw new DataException(
      `Unknown magic byte! The data is ${bytes.length} bytes long, shorter than the 5-byte Confluent wire-format header`,
    );
  if (bytes[0] !== MAGIC_BYTE)
    throw new DataException(
      `Unknown magic byte! Expected 0 (Confluent wire format) but found ${bytes[0]}: the data was not written by a schema-registry serializer`,
    );
  return { schemaId: bytes.readInt32BE(1), offset: HEADER_SIZE };
}

export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const parts: number[] = [];
  writeZigzagVarint(parts, indexes.length);
  for (const i of indexes) writeZigzagVarint(parts, i);
  return Buffer.from(parts);
}

export function decodeMessageIndexes(bytes: Buffer, offset: number): { indexes: number[]; offset: number } {
  const count = readZigzagVarint(bytes, offset);
  offset = count.offset;
  if (count.value === 0) return { indexes: [0], offset };
  if (count.value < 0 || count.value > 100)
    throw new DataException(`Invalid Protobuf message index count ${count.value} in the wire-format header`);
  const indexes: number[] = [];
  for (let i = 0; i < count.value; i++) {
    const r = readZigzagVarint(bytes, offset);
    indexes.push(r.value);
    offset = r.offset;
  }
  return { indexes, offset };
}

function writeZigzagVarint(out: number[], value: number): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function readZigzagVarint(bytes: Buffer, offset: number): { value: number; offset: number } {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (offset >= bytes.length) throw new DataException('Truncated varint in the Protobuf message indexes');
    const b = bytes[offset++];
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new DataException('Varint too long in the Protobuf message indexes');
  }
  const u = result >>> 0;
  return { value: (u >>> 1) ^ -(u & 1), offset };
}
