/**
 * Framing vectors. RDW/BDW layout per IBM z/OS DFSMS "Record descriptor word" and "Block
 * descriptor word": 2-byte big-endian length including the 4-byte descriptor, then 2 zero bytes;
 * an extended BDW has the high bit set and a 31-bit length.
 */
import { describe, it, expect } from 'vitest';
import {
  blockedRdwFramer,
  fixedLengthFramer,
  frameAll,
  lengthFieldFramer,
  rdwFramer,
  textLineFramer,
  FramingError,
  type Framer,
} from './framer.ts';

const h = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const payloads = (f: Framer, buf: Buffer) =>
  [...frameAll(f, buf)].map((r) => [r.offset, buf.subarray(r.start, r.end).toString('hex')]);

describe('record framing', () => {
  it('F/FB: fixed-length records', () => {
    expect(payloads(fixedLengthFramer(2), h('C1C2 C3C4 C5C6'))).toEqual([
      [0, 'c1c2'],
      [2, 'c3c4'],
      [4, 'c5c6'],
    ]);
    expect(() => payloads(fixedLengthFramer(2), h('C1C2C3'))).toThrow(
      new FramingError('file ends inside a fixed-length record: 1 of 2 bytes present', 2),
    );
  });

  it('V: RDW big-endian (IBM) and little-endian', () => {
    const be = h('0007 0000 C1C2C3  0005 0000 C4');
    expect(payloads(rdwFramer({ bigEndian: true, adjustment: 0 }), be)).toEqual([
      [0, 'c1c2c3'],
      [7, 'c4'],
    ]);
    const le = h('0700 0000 C1C2C3  0500 0000 C4');
    expect(payloads(rdwFramer({ bigEndian: false, adjustment: 0 }), le)).toEqual([
      [0, 'c1c2c3'],
      [7, 'c4'],
    ]);
    // a length that excludes the RDW (as some transfers write it) needs an adjustment of +4
    expect(payloads(rdwFramer({ bigEndian: true, adjustment: 4 }), h('0003 0000 C1C2C3'))).toEqual([[0, 'c1c2c3']]);
    expect(() => payloads(rdwFramer({ bigEndian: true, adjustment: 0 }), h('0000 0000'))).toThrow(
      /invalid RDW 00000000: record length 0 \(at byte 0\)/,
    );
    expect(() => payloads(rdwFramer({ bigEndian: true, adjustment: 0 }), h('0009 0000 C1'))).toThrow(
      'file ends inside a variable-length record: 5 of 9 bytes present (at byte 0)',
    );
  });

  it('VB: blocks of RDW records, incremental reads resume inside a block', () => {
    const block1 = h('0012 0000  0007 0000 C1C2C3  0007 0000 C4C5C6');
    const block2 = h('000A 0000  0006 0000 C7C8');
    const file = Buffer.concat([block1, block2]);
    const f = blockedRdwFramer({ bigEndian: true, adjustment: 0 }, { bigEndian: true, adjustment: 0 });
    expect(payloads(f, file)).toEqual([
      [4, 'c1c2c3'],
      [11, 'c4c5c6'],
      [22, 'c7c8'],
    ]);
    // resume from a state saved after the first record
    const state = { position: 11, blockEnd: 18 };
    expect([...frameAll(f, file, state)].map((r) => r.offset)).toEqual([11, 22]);
    // extended BDW: high bit set, 31-bit length
    expect(payloads(f, h('8000000B  0007 0000 C1C2C3'))).toEqual([[4, 'c1c2c3']]);
    expect(() => payloads(f, h('0010 0000  0007 0000 C1C2C3  0007 0000 C4C5C6'))).toThrow(
      /record crosses the end of its block at 16/,
    );
  });

  it('VB: a block not yet complete waits without consuming', () => {
    const f = blockedRdwFramer({ bigEndian: true, adjustment: 0 }, { bigEndian: true, adjustment: 0 });
    const state = { position: 0, blockEnd: 0 };
    expect(f.next(h('0012 0000 0007'), 0, state, false)).toBeNull();
    expect(state).toEqual({ position: 0, blockEnd: 0 });
  });

  it('D/T: text lines with LF or CRLF', () => {
    const buf = Buffer.from('ab\r\ncd\nef');
    expect(payloads(textLineFramer(), buf)).toEqual([
      [0, '6162'],
      [4, '6364'],
      [7, '6566'],
    ]);
    expect(textLineFramer().next(Buffer.from('ab'), 0, { position: 0, blockEnd: 0 }, false)).toBeNull();
  });

  it('length from a field of the record', () => {
    // a 2-byte binary length at offset 0 covering the whole record
    const f = lengthFieldFramer(2, (buf, at) => buf.readUInt16BE(at), 0);
    expect(payloads(f, h('0003 C1  0004 C2C3'))).toEqual([
      [0, '0003c1'],
      [3, '0004c2c3'],
    ]);
    expect(() =>
      payloads(
        lengthFieldFramer(2, () => 1, 0),
        h('0001'),
      ),
    ).toThrow(/record length field gives 1/);
  });
});
