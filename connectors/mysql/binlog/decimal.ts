/**
 * NEWDECIMAL packed binary format (MySQL `bin2decimal`): integer digits then fraction digits in
 * groups of nine (4 bytes BE each), leftover digits in 1–4 bytes; the sign is the inverted high bit
 * and negative values have every byte inverted. Decoded exactly into a BigDecimal.
 */
import { BigDecimal } from '../../../sdk/data.ts';

const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
const DIGITS_PER_GROUP = 9;

export function decimalBinarySize(precision: number, scale: number): number {
  const intDigits = precision - scale;
  return Math.floor(intDigits / 9) * 4 + DIG2BYTES[intDigits % 9] + Math.floor(scale / 9) * 4 + DIG2BYTES[scale % 9];
}

export function decodeDecimal(buf: Buffer, offset: number, precision: number, scale: number): BigDecimal {
  const size = decimalBinarySize(precision, scale);
  const b = Buffer.from(buf.subarray(offset, offset + size));
  const negative = (b[0] & 0x80) === 0;
  b[0] ^= 0x80;
  if (negative) for (let i = 0; i < b.length; i++) b[i] ^= 0xff;
  const intDigits = precision - scale;
  const intLead = intDigits % DIGITS_PER_GROUP;
  const intGroups = Math.floor(intDigits / DIGITS_PER_GROUP);
  const fracGroups = Math.floor(scale / DIGITS_PER_GROUP);
  const fracTail = scale % DIGITS_PER_GROUP;
  let pos = 0;
  let digits = '';
  const readGroup = (bytes: number, width: number): void => {
    if (bytes === 0) return;
    const v = b.readUIntBE(pos, bytes);
    pos += bytes;
    digits += String(v).padStart(width, '0');
  };
  readGroup(DIG2BYTES[intLead], intLead);
  for (let i = 0; i < intGroups; i++) readGroup(4, 9);
  for (let i = 0; i < fracGroups; i++) readGroup(4, 9);
  readGroup(DIG2BYTES[fracTail], fracTail);
  const unscaled = digits === '' ? 0n : BigInt(digits);
  return new BigDecimal(negative ? -unscaled : unscaled, scale);
}

/** The inverse (decimal2bin), for tests and vectors. */
export function encodeDecimal(value: BigDecimal, precision: number, scale: number): Buffer {
  const v = value.setScale(scale);
  const negative = v.unscaled < 0n;
  const abs = (negative ? -v.unscaled : v.unscaled).toString().padStart(precision, '0');
  const intDigits = precision - scale;
  const intPart = abs.slice(0, abs.length - scale);
  const fracPart = abs.slice(abs.length - scale);
  const chunks: Buffer[] = [];
  const push = (text: string, bytes: number): void => {
    if (bytes === 0) return;
    const c = Buffer.alloc(bytes);
    c.writeUIntBE(Number(text || '0'), 0, bytes);
    chunks.push(c);
  };
  const intLead = intDigits % 9;
  const intStr = intPart.slice(-intDigits).padStart(intDigits, '0');
  push(intStr.slice(0, intLead), DIG2BYTES[intLead]);
  for (let i = intLead; i < intDigits; i += 9) push(intStr.slice(i, i + 9), 4);
  const fracGroups = Math.floor(scale / 9);
  for (let i = 0; i < fracGroups; i++) push(fracPart.slice(i * 9, i * 9 + 9), 4);
  push(fracPart.slice(fracGroups * 9), DIG2BYTES[scale % 9]);
  const out = Buffer.concat(chunks);
  out[0] ^= 0x80;
  if (negative) for (let i = 0; i < out.length; i++) out[i] ^= 0xff;
  return out;
}
