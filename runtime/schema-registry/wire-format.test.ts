import { describe, it, expect } from 'vitest';
import { decodeMessageIndexes, encodeMessageIndexes, readHeader, writeHeader } from './wire-format.ts';

describe('Confluent wire format', () => {
  it('writes magic byte 0 and the schema id big-endian before the payload', () => {
    expect(writeHeader(0x01020304, Buffer.from([0xaa, 0xbb])).toString('hex')).toBe('0001020304aabb');
    expect(writeHeader(1, Buffer.alloc(0)).toString('hex')).toBe('0000000001');
  });

  it('puts Protobuf message indexes between the id and the payload', () => {
    expect(writeHeader(7, Buffer.from([0x08, 0x01]), [0]).toString('hex')).toBe('00000000070' + '0' + '0801');
    expect(writeHeader(7, Buffer.from([0x08, 0x01]), [1]).toString('hex')).toBe('0000000007' + '0202' + '0801');
  });

  it('encodes message indexes as zigzag varints with [0] as a single 0', () => {
    expect(encodeMessageIndexes([0]).toString('hex')).toBe('00');
    expect(encodeMessageIndexes([1]).toString('hex')).toBe('0202');
    expect(encodeMessageIndexes([2, 0, 64]).toString('hex')).toBe('0604008001');
    expect(decodeMessageIndexes(Buffer.from('0604008001ff', 'hex'), 0)).toEqual({ indexes: [2, 0, 64], offset: 5 });
    expect(decodeMessageIndexes(Buffer.from('00', 'hex'), 0)).toEqual({ indexes: [0], offset: 1 });
  });

  it('reads the schema id and rejects other magic bytes and short data', () => {
    expect(readHeader(Buffer.from('000000002a02', 'hex'))).toEqual({ schemaId: 42, offset: 5 });
    expect(() => readHeader(Buffer.from('010000002a', 'hex'))).toThrow(/Unknown magic byte! Expected 0/);
    expect(() => readHeader(Buffer.from('0000', 'hex'))).toThrow(/shorter than the 5-byte/);
  });
});
