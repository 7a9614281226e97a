/**
 * Numeric field decoders. Each returns the unscaled integer (a JS number while it is a safe
 * integer, a bigint beyond), null for an empty field (all spaces or all low-values) where that
 * byte pattern is no valid value of the type (zoned, signed packed), and throws
 * InvalidFieldData for bytes that are not a valid value. Scale is applied by the caller, so
 * decimals never pass through a binary float.
 */
import { InvalidFieldData, hex } from './errors.ts';

export type Unscaled = number | bigint;

const MAX_SAFE_DIGITS = 15;

function isAll(buf: Buffer, start: number, len: number, b: number): boolean {
  for (let i = 0; i < len; i++) if (buf[start + i] !== b) return false;
  return len > 0;
}

/** All 0x00 (low-values) or all spaces of the encoding: an uninitialised numeric field. */
export function isEmptyField(buf: Buffer, start: number, len: number, space: number): boolean {
  return isAll(buf, start, len, 0) || isAll(buf, start, len, space);
}

function negate(v: Unscaled): Unscaled {
  return typeof v === 'bigint' ? -v : v === 0 ? 0 : -v;
}

function fromDigits(digits: string): Unscaled {
  const b = BigInt(digits);
  return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

// ---- packed decimal (COMP-3) --------------------------------------------------------------

/**
 * Packed decimal: two BCD digits per byte, the last nibble the sign: C or F positive, D negative.
 * The other sign codes z/Architecture accepts as input (A, E positive; B negative) are invalid
 * data, as Cobrix 2.6.9 reads them (BCDNumberDecoders: null); COBOL never writes them. A field
 * without S in its picture must carry F or C.
 */
export function decodePacked(buf: Buffer, start: number, len: number, signed: boolean): Unscaled | null {
  const first = buf[start];
  // all X'40' / X'00' ends in sign nibble 0: never a value (Cobrix reads null), so it is an empty field
  if ((first === 0 || first === 0x40) && isAll(buf, start, len, first)) return null;
  const end = start + len;
  const sign = buf[end - 1] & 0x0f;
  let negative: boolean;
  if (sign === 0x0d) negative = true;
  else if (sign === 0x0c || sign === 0x0f) negative = false;
  else
    throw new InvalidFieldData(
      `invalid packed decimal sign nibble ${sign.toString(16).toUpperCase()} in X'${hex(buf, start, len)}'`,
    );
  if (negative && !signed)
    throw new InvalidFieldData(`negative sign nibble in unsigned packed decimal X'${hex(buf, start, len)}'`);
  const digitCount = len * 2 - 1;
  if (digitCount <= MAX_SAFE_DIGITS) {
    let v = 0;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      const hi = b >> 4;
      if (hi > 9)
        throw new InvalidFieldData(
          `invalid packed decimal digit ${hi.toString(16).toUpperCase()} in X'${hex(buf, start, len)}'`,
        );
      v = v * 10 + hi;
      if (i < end - 1) {
        const lo = b & 0x0f;
        if (lo > 9)
          throw new InvalidFieldData(
            `invalid packed decimal digit ${lo.toString(16).toUpperCase()} in X'${hex(buf, start, len)}'`,
          );
        v = v * 10 + lo;
      }
    }
    return negative ? negate(v) : v;
  }
  let s = '';
  for (let i = start; i < end; i++) {
    const b = buf[i];
    const hi = b >> 4;
    const lo = b & 0x0f;
    if (hi > 9 || (i < end - 1 && lo > 9))
      throw new InvalidFieldData(`invalid packed decimal digit in X'${hex(buf, start, len)}'`);
    s += i < end - 1 ? String(hi) + String(lo) : String(hi);
  }
  const v = fromDigits(s);
  return negative ? negate(v) : v;
}

/**
 * Cobrix's COMP-3U: packed digits without a sign nibble (an odd digit count leaves a leading 0
 * nibble). No blank check: every byte is two digits, so all X'40' is the value 40…40 and all X'00'
 * is 0 (Cobrix 2.6.9's BCDNumberDecoders reads them so, with or without improved_null_detection).
 */
export function decodePackedNoSign(buf: Buffer, start: number, len: number): Unscaled {
  let s = '';
  for (let i = start; i < start + len; i++) {
    const hi = buf[i] >> 4;
    const lo = buf[i] & 0x0f;
    if (hi > 9 || lo > 9)
      throw new InvalidFieldData(`invalid packed decimal digit in unsigned packed X'${hex(buf, start, len)}'`);
    s += String(hi) + String(lo);
  }
  return fromDigits(s);
}

// ---- zoned decimal (DISPLAY) ----------------------------------------------------------------

export interface ZonedOptions {
  signed: boolean;
  /** Where the sign is: in the zone of the last (trailing) or first (leading) byte, or a separate character. */
  signPosition: 'trailing' | 'leading';
  signSeparate: boolean;
  ebcdic: boolean;
}

/**
 * Zoned decimal. EBCDIC: digits F0-F9; the sign rides in the zone nibble of the sign byte
 * (C/A/E/F positive, D/B negative), so C0-C9 = +0..+9 and D0-D9 = -0..-9 ("{" and "}" for
 * the zero digits). ASCII: digits 30-39; overpunched sign characters "{", "A"-"I" = +0..+9,
 * "}", "J"-"R" = -0..-9 (the IBM convention) and 70-79 ("p"-"y") = -0..-9 (Micro Focus).
 * Leading spaces are treated as zeros (right-justified numbers keyed by hand).
 */
export function decodeZoned(buf: Buffer, start: number, len: number, o: ZonedOptions): Unscaled | null {
  if (o.ebcdic && !o.signSeparate && o.signPosition === 'trailing' && len <= MAX_SAFE_DIGITS) {
    // fast path for the common case: F-zoned digits, sign in the last byte's zone
    let v = 0;
    const last = start + len - 1;
    let i = start;
    for (; i < last; i++) {
      const b = buf[i];
      if (b < 0xf0 || b > 0xf9) break;
      v = v * 10 + (b & 0x0f);
    }
    if (i === last) {
      const b = buf[last];
      const zone = b >> 4;
      const digit = b & 0x0f;
      if (digit <= 9) {
        v = v * 10 + digit;
        if (zone === 0x0f || (zone === 0x0c && o.signed)) return v;
        if (zone === 0x0d && o.signed) return v === 0 ? 0 : -v;
      }
    }
  }
  return decodeZonedGeneral(buf, start, len, o);
}

function decodeZonedGeneral(buf: Buffer, start: number, len: number, o: ZonedOptions): Unscaled | null {
  const space = o.ebcdic ? 0x40 : 0x20;
  const b0 = buf[start];
  if ((b0 === 0 || b0 === space) && isAll(buf, start, len, b0)) return null;
  let first = start;
  let end = start + len;
  let negative = false;
  if (o.signSeparate) {
    const at = o.signPosition === 'leading' ? start : end - 1;
    const c = buf[at];
    const plus = o.ebcdic ? 0x4e : 0x2b;
    const minus = o.ebcdic ? 0x60 : 0x2d;
    if (c === minus) negative = true;
    else if (c !== plus && c !== space)
      throw new InvalidFieldData(`invalid separate sign character X'${hex(buf, at, 1)}' in X'${hex(buf, start, len)}'`);
    if (o.signPosition === 'leading') first++;
    else end--;
  }
  const signAt = o.signSeparate || !o.signed ? -1 : o.signPosition === 'leading' ? first : end - 1;
  let v = 0;
  let big: string | null = end - first > MAX_SAFE_DIGITS ? '' : null;
  let leading = true;
  for (let i = first; i < end; i++) {
    const b = buf[i];
    let digit: number;
    if (leading && b === space && i !== signAt) {
      digit = 0;
    } else if (o.ebcdic) {
      const zone = b >> 4;
      digit = b & 0x0f;
      if (digit > 9)
        throw new InvalidFieldData(`invalid zoned decimal byte X'${hex(buf, i, 1)}' in X'${hex(buf, start, len)}'`);
      if (i === signAt || (!o.signed && i === end - 1)) {
        // zones A, E (plus) and B (minus) are invalid data, as Cobrix 2.6.9 reads them (null)
        if (zone === 0x0d) {
          if (!o.signed)
            throw new InvalidFieldData(`negative zone in unsigned zoned decimal X'${hex(buf, start, len)}'`);
          negative = true;
        } else if (zone !== 0x0f && (zone !== 0x0c || !o.signed)) {
          // a sign zone C on an unsigned item too (Cobrix: null); unsigned items carry F
          throw new InvalidFieldData(
            `invalid zoned decimal sign byte X'${hex(buf, i, 1)}' in X'${hex(buf, start, len)}'`,
          );
        }
      } else if (zone !== 0x0f) {
        throw new InvalidFieldData(`invalid zoned decimal byte X'${hex(buf, i, 1)}' in X'${hex(buf, start, len)}'`);
      }
      leading = false;
    } else {
      if (b >= 0x30 && b <= 0x39) digit = b - 0x30;
      else if (i === signAt || (!o.signed && i === end - 1)) {
        if (b === 0x7b) digit = 0;
        else if (b >= 0x41 && b <= 0x49) digit = b - 0x40;
        else if (b === 0x7d) {
          digit = 0;
          negative = true;
        } else if (b >= 0x4a && b <= 0x52) {
          digit = b - 0x49;
          negative = true;
        } else if (b >= 0x70 && b <= 0x79) {
          digit = b - 0x70;
          negative = true;
        } else
          throw new InvalidFieldData(
            `invalid zoned decimal sign character X'${hex(buf, i, 1)}' in X'${hex(buf, start, len)}'`,
          );
        if (negative && !o.signed)
          throw new InvalidFieldData(`negative overpunch in unsigned zoned decimal X'${hex(buf, start, len)}'`);
      } else
        throw new InvalidFieldData(
          `invalid zoned decimal character X'${hex(buf, i, 1)}' in X'${hex(buf, start, len)}'`,
        );
      leading = false;
    }
    if (big !== null) big += String(digit);
    else v = v * 10 + digit;
  }
  const r = big !== null ? fromDigits(big || '0') : v;
  return negative ? negate(r) : r;
}

// ---- binary (COMP, COMP-4, BINARY, COMP-5) ---------------------------------------------------

/** Big-endian (or little-endian) two's complement or unsigned integer of 1, 2, 4 or 8 bytes. */
export function decodeBinary(buf: Buffer, start: number, len: number, signed: boolean, bigEndian = true): Unscaled {
  switch (len) {
    case 1:
      return signed ? buf.readInt8(start) : buf[start];
    case 2:
      return signed
        ? bigEndian
          ? buf.readInt16BE(start)
          : buf.readInt16LE(start)
        : bigEndian
          ? buf.readUInt16BE(start)
          : buf.readUInt16LE(start);
    case 4:
      return signed
        ? bigEndian
          ? buf.readInt32BE(start)
          : buf.readInt32LE(start)
        : bigEndian
          ? buf.readUInt32BE(start)
          : buf.readUInt32LE(start);
    case 8: {
      const v = signed
        ? bigEndian
          ? buf.readBigInt64BE(start)
          : buf.readBigInt64LE(start)
        : bigEndian
          ? buf.readBigUInt64BE(start)
          : buf.readBigUInt64LE(start);
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    }
    default: {
      // more than 18 digits (Cobrix sizes these by the digits): any length, two's complement
      let v = 0n;
      for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(buf[bigEndian ? start + i : start + len - 1 - i]);
      if (signed && len > 0 && (buf[bigEndian ? start : start + len - 1] & 0x80) !== 0) v -= 1n << BigInt(8 * len);
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    }
  }
}

const POW10 = Array.from({ length: 19 }, (_, i) => 10n ** BigInt(i));

/**
 * TRUNC(STD): a COMP value holds at most the picture's digits; higher-order digits written by a
 * non-COBOL program are cut off the way a COBOL MOVE would (the sign is kept). COMP-5 is never truncated.
 */
export function truncateToDigits(v: Unscaled, digits: number): Unscaled {
  if (typeof v === 'number' && digits < 16) {
    const m = 10 ** digits;
    const r = v % m;
    return r === 0 ? 0 : r;
  }
  const r = BigInt(v) % (digits <= 18 ? POW10[digits] : 10n ** BigInt(digits));
  return r >= -9007199254740991n && r <= 9007199254740991n ? Number(r) : r;
}

// ---- floating point (COMP-1, COMP-2) -----------------------------------------------------------

/**
 * IBM System/360 hexadecimal floating point: sign bit, 7-bit excess-64 exponent of 16, then a
 * 24-bit (short, COMP-1) or 56-bit (long, COMP-2) fraction: value = ±0.fraction × 16^(exp−64).
 */
export function decodeIbmFloat(buf: Buffer, start: number, len: 4 | 8): number {
  const b0 = buf[start];
  const negative = (b0 & 0x80) !== 0;
  const exponent = (b0 & 0x7f) - 64;
  let value: number;
  if (len === 4) {
    const fraction = (buf[start + 1] << 16) | (buf[start + 2] << 8) | buf[start + 3];
    value = fraction * 2 ** (4 * exponent - 24);
  } else {
    const hi = ((buf[start + 1] << 16) | (buf[start + 2] << 8) | buf[start + 3]) >>> 0;
    const lo = buf.readUInt32BE(start + 4);
    // 56-bit fraction: one rounding to the nearest double, then an exact power-of-two scaling
    const fraction = Number((BigInt(hi) << 32n) | BigInt(lo));
    value = fraction * 2 ** (4 * exponent - 56);
  }
  return negative ? -value : value;
}

export function decodeIeeeFloat(buf: Buffer, start: number, len: 4 | 8, bigEndian: boolean): number {
  if (len === 4) return bigEndian ? buf.readFloatBE(start) : buf.readFloatLE(start);
  return bigEndian ? buf.readDoubleBE(start) : buf.readDoubleLE(start);
}

// ---- lenient DISPLAY numbers (Cobrix's reading) --------------------------------------------------

const EBCDIC_SPACE = 0x40;
const EBCDIC_POINT = 0x4b;
const EBCDIC_COMMA = 0x6b;
const EBCDIC_MINUS = 0x60;
const EBCDIC_PLUS = 0x4e;
const ASCII_OVERPUNCH = '{ABCDEFGHI}JKLMNOPQR';

/**
 * The text of a DISPLAY number as Cobrix reads it (StringDecoders.decodeEbcdicNumber /
 * decodeAsciiNumber): blanks anywhere are dropped, `.` and `,` are a decimal point, `+`/`-` and
 * overpunched zones give the sign; any other byte makes the field malformed (null).
 */
export function cobrixDisplayText(
  buf: Buffer,
  start: number,
  len: number,
  ebcdic: boolean,
  unsigned: boolean,
  allowOverpunch: boolean,
): string | null {
  let out = '';
  let sign = '';
  const end = start + len;
  if (ebcdic) {
    for (let i = start; i < end; i++) {
      const b = buf[i];
      if (b >= 0xf0 && b <= 0xf9) out += String.fromCharCode(b - 0xc0);
      else if (b === EBCDIC_POINT || b === EBCDIC_COMMA) out += '.';
      else if (b === EBCDIC_SPACE || b === 0) continue;
      else if (sign !== '') return null;
      else if (allowOverpunch && b >= 0xc0 && b <= 0xc9) {
        out += String.fromCharCode(b - 0x90);
        sign = '+';
      } else if (allowOverpunch && b >= 0xd0 && b <= 0xd9) {
        out += String.fromCharCode(b - 0xa0);
        sign = '-';
      } else if (b === EBCDIC_MINUS) sign = '-';
      else if (b === EBCDIC_PLUS) sign = '+';
      else return null;
    }
  } else {
    for (let i = start; i < end; i++) {
      const c = String.fromCharCode(buf[i]);
      if (c === ' ' || (c >= '0' && c <= '9')) out += c;
      else if (c === '-' || c === '+') sign = c;
      else if (c === '.' || c === ',') out += '.';
      else {
        const k = ASCII_OVERPUNCH.indexOf(c);
        if (!allowOverpunch || (i !== start && i !== end - 1) || k < 0) return null;
        sign = k >= 10 ? '-' : '+';
        out += String(k % 10);
      }
    }
  }
  if (sign === '-' && unsigned) return null;
  return sign + out.trim();
}

/**
 * A Cobrix-read text as an unscaled value at `scale`: with an explicit decimal point, extra
 * fraction digits are rounded half up (as Spark stores a decimal); beyond `precision` digits, or
 * text that is no number, gives null. Without one, a point in the text is malformed.
 */
export function lenientUnscaled(
  text: string | null,
  scale: number,
  explicitPoint: boolean,
  precision: number,
): Unscaled | null {
  if (text === null) return null;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  if (!explicitPoint && m[3] !== undefined) return null;
  const s = Math.max(scale, 0);
  let frac = m[3] ?? '';
  let digits: bigint;
  if (!explicitPoint) digits = BigInt(m[2]);
  else {
    const roundUp = frac.length > s && frac.charCodeAt(s) >= 0x35;
    frac = frac.length > s ? frac.slice(0, s) : frac.padEnd(s, '0');
    digits = BigInt((m[2] || '0') + frac) + (roundUp ? 1n : 0n);
  }
  if (digits.toString().length > precision) return null;
  if (m[1] === '-') digits = -digits;
  return digits >= -9007199254740991n && digits <= 9007199254740991n ? Number(digits) : digits;
}
