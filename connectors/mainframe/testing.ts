/**
 * Test support: writes mainframe bytes (EBCDIC text, zoned, packed, binary, RDW/BDW framing) so
 * tests can generate files from known values and compare what the decoders read back.
 */
import { codePageTable } from './codec/text.ts';

export function encodeText(s: string, length: number, codePage = 'cp037'): Buffer {
  const table = codePageTable(codePage);
  const inverse = new Map<number, number>();
  for (let b = 0; b < 256; b++) if (!inverse.has(table[b])) inverse.set(table[b], b);
  const out = Buffer.alloc(length, 0x40);
  for (let i = 0; i < Math.min(length, s.length); i++) {
    const b = inverse.get(s.charCodeAt(i));
    if (b === undefined) throw new Error(`'${s[i]}' has no byte in ${codePage}`);
    out[i] = b;
  }
  return out;
}

/** Packed decimal of `digits` digits (odd digit counts fill the bytes exactly). */
export function encodePacked(value: bigint | number, digits: number, signed = true): Buffer {
  const v = BigInt(value);
  const neg = v < 0n;
  const len = Math.floor(digits / 2) + 1;
  const s = (neg ? -v : v).toString().padStart(len * 2 - 1, '0');
  const nibbles = [...s].map(Number);
  nibbles.push(signed ? (neg ? 0x0d : 0x0c) : 0x0f);
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) out[i] = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
  return out;
}

/** EBCDIC zoned decimal with the sign overpunched in the last byte (C/D), F zones otherwise. */
export function encodeZoned(value: bigint | number, digits: number, signed = true): Buffer {
  const v = BigInt(value);
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(digits, '0');
  const out = Buffer.from([...s].map((d) => 0xf0 | Number(d)));
  if (signed) out[digits - 1] = (neg ? 0xd0 : 0xc0) | (out[digits - 1] & 0x0f);
  return out;
}

export function encodeBinary(value: bigint | number, size: 2 | 4 | 8): Buffer {
  const out = Buffer.alloc(size);
  if (size === 2) out.writeInt16BE(Number(value));
  else if (size === 4) out.writeInt32BE(Number(value));
  else out.writeBigInt64BE(BigInt(value));
  return out;
}

/** Record with an IBM RDW (length includes the 4 RDW bytes). */
export function withRdw(record: Buffer): Buffer {
  const rdw = Buffer.alloc(4);
  rdw.writeUInt16BE(record.length + 4, 0);
  return Buffer.concat([rdw, record]);
}

/** One VB block: BDW (length includes its 4 bytes) followed by RDW records. */
export function vbBlock(records: Buffer[]): Buffer {
  const body = Buffer.concat(records.map(withRdw));
  const bdw = Buffer.alloc(4);
  bdw.writeUInt16BE(body.length + 4, 0);
  return Buffer.concat([bdw, body]);
}

/** A CDC record layout as mainframe CDC tools write them: header, before image, after image. */
export const CDC_COPYBOOK = `
       01  CDC-REC.
           05  HDR.
               10  OP-CODE      PIC X(2).
               10  CHANGE-TS    PIC X(26).
           05  BEFORE-IMAGE.
               10  CUST-ID      PIC S9(9) COMP-3.
               10  NAME         PIC X(12).
               10  BALANCE      PIC S9(7)V99 COMP-3.
           05  AFTER-IMAGE.
               10  CUST-ID      PIC S9(9) COMP-3.
               10  NAME         PIC X(12).
               10  BALANCE      PIC S9(7)V99 COMP-3.
`;

export function cdcRecord(
  op: string,
  ts: string,
  before: [number, string, bigint] | null,
  after: [number, string, bigint] | null,
): Buffer {
  const image = (i: [number, string, bigint] | null) =>
    i ? Buffer.concat([encodePacked(i[0], 9), encodeText(i[1], 12), encodePacked(i[2], 9)]) : Buffer.alloc(22, 0x00);
  return Buffer.concat([encodeText(op, 2), encodeText(ts, 26), image(before), image(after)]);
}
