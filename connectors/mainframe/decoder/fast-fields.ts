/**
 * Fast decoders for the common field forms of fixed-offset records: valid F/C/D-zoned EBCDIC
 * numbers of up to 15 digits, packed decimals of up to 15 digits, 2- and 4-byte big-endian
 * binaries and single-byte text with trimming. Each returns `undefined` for anything else (an
 * empty or short field, a non-digit, a sign it does not take): the exact decoder of
 * field-decoders.ts then decides the value or the error, so the fast path never gives a value
 * the exact one would not.
 */
import { smallDecimal } from '../codec/small-decimal.ts';
import type { LayoutField } from '../copybook/layout.ts';
import { textDecoderFor } from '../codec/text.ts';
import type { DecodeOptions } from './options.ts';
import type { DecodeContext, NumericKind } from './record-decoder.ts';

export type FastFn = (buf: Buffer, at: number, ctx: DecodeContext) => unknown;

/** 0-99 for a byte holding two BCD digits, -1 otherwise. */
export const PACKED_PAIR = Int8Array.from({ length: 256 }, (_, b) =>
  b >> 4 <= 9 && (b & 15) <= 9 ? (b >> 4) * 10 + (b & 15) : -1,
);

/** Unscaled value of a valid packed decimal of `len` bytes (at most 15 digits), or NaN. */
export function packedSmall(buf: Buffer, at: number, len: number, signed: boolean): number {
  const first = buf[at];
  // all low-values / all spaces is an empty field (null): the exact decoder says so
  if (first === 0 || first === 0x40) {
    let i = at + 1;
    while (i < at + len && buf[i] === first) i++;
    if (i === at + len) return NaN;
  }
  const last = at + len - 1;
  let v = 0;
  for (let i = at; i < last; i++) {
    const d = PACKED_PAIR[buf[i]];
    if (d < 0) return NaN;
    v = v * 100 + d;
  }
  const b = buf[last];
  const hi = b >> 4;
  const s = b & 15;
  if (hi > 9) return NaN;
  v = v * 10 + hi;
  if (s === 0x0c || s === 0x0f) return v;
  if (s === 0x0d && signed) return v === 0 ? 0 : -v;
  return NaN;
}

/** Unscaled value of an EBCDIC zoned decimal of `len` bytes (at most 15), digits F0-F9 and the sign in the last zone (F; C or D when signed), or NaN. */
export function zonedSmall(buf: Buffer, at: number, len: number, signed: boolean): number {
  const last = at + len - 1;
  let v = 0;
  for (let i = at; i < last; i++) {
    const b = buf[i];
    if (b < 0xf0 || b > 0xf9) return NaN;
    v = v * 10 + (b - 0xf0);
  }
  const b = buf[last];
  const zone = b >> 4;
  const d = b & 15;
  if (d > 9) return NaN;
  v = v * 10 + d;
  if (zone === 0x0f || (zone === 0x0c && signed)) return v;
  if (zone === 0x0d && signed) return v === 0 ? 0 : -v;
  return NaN;
}

/** Texts of up to this many characters are made by one String.fromCharCode call. */
export const SHORT_TEXT = 64;

export type ShortText = (chars: Uint16Array, buf: Buffer, at: number) => string;

/** Per length n: String.fromCharCode(chars[buf[at]], ..., chars[buf[at + n - 1]]); generated, the code holds only numbers. */
export const shortText: ShortText[] = Array.from({ length: SHORT_TEXT + 1 }, (_, n) => {
  const args = Array.from({ length: n }, (_, i) => `c[b[a + ${i}]]`).join(', ');
  return new Function('c', 'b', 'a', `return String.fromCharCode(${args});`) as ShortText;
});

/** A text field's fast decoder in data form, for the generated record functions (inline-text.ts): the same steps. */
export type TextForm = { chars: Uint16Array; pad: Uint8Array; len: number; left: boolean; right: boolean };

/** The text form of each text field's fast decoder. */
export const textForms = new WeakMap<FastFn, TextForm>();

/** A single-byte text of `n` characters (n >= 1) at `at`, translated by `chars`. */
export function makeText(chars: Uint16Array, buf: Buffer, at: number, n: number): string {
  return n <= SHORT_TEXT ? shortText[n](chars, buf, at) : longText(chars, buf, at, n);
}

const longScratch = Buffer.allocUnsafe(4096);

/** A longer single-byte text: bytes translated into a scratch buffer, one latin1 string made of it. */
function longText(chars: Uint16Array, buf: Buffer, at: number, n: number): string {
  const out = n <= longScratch.length ? longScratch : Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = chars[buf[at + i]];
  return out.toString('latin1', 0, n);
}

const charCodeCache = new WeakMap<object, Uint16Array>();

/** The character code of each byte, by the text decoder itself. */
function charCodes(text: ReturnType<typeof textDecoderFor>): Uint16Array {
  let c = charCodeCache.get(text);
  if (!c) {
    c = Uint16Array.from({ length: 256 }, (_, b) => text.decode(Buffer.from([b]), 0, 1).charCodeAt(0));
    charCodeCache.set(text, c);
  }
  return c;
}

/** A number field of a common form (see numberForm): what the fast decoders and the generated code read. */
export type NumberForm =
  | { kind: 'packed' | 'zoned'; len: number; signed: boolean; scale: number }
  | { kind: 'binary'; len: 2 | 4; signed: boolean; scale: -1 };

/**
 * The common form of a number field: packed or EBCDIC zoned of up to 15 digits (`scale`: the
 * decimal's scale, -1 for an integer), 2/4-byte big-endian binary integers; null for any other form.
 */
export function numberForm(f: LayoutField, o: DecodeOptions, kind: NumericKind | undefined): NumberForm | null {
  const t = f.type;
  if (!t || !kind) return null;
  // P scaling (negative scale) multiplies the digits: left to the exact decoder
  const scale = kind.type === 'decimal' ? kind.scale : -1;
  switch (t.kind) {
    case 'packed': {
      if (t.noSign || t.digits > 15 || t.scale < 0) return null;
      const len = Math.floor(t.digits / 2) + 1;
      if (len * 2 - 1 > 15) return null;
      return { kind: 'packed', len, signed: t.signed, scale };
    }
    case 'zoned':
      if (
        o.encoding !== 'ebcdic' ||
        t.signSeparate ||
        t.signPosition !== 'trailing' ||
        t.digits > 15 ||
        o.invalidData === 'lenient' ||
        t.scale < 0
      )
        return null;
      return { kind: 'zoned', len: t.digits, signed: t.signed, scale };
    case 'binary':
      if (
        t.littleEndian ||
        (t.size !== 2 && t.size !== 4) ||
        t.scale !== 0 ||
        (!t.native && o.binaryTruncation !== 'bin') ||
        kind.type === 'decimal'
      )
        return null;
      return { kind: 'binary', len: t.size, signed: t.signed, scale: -1 };
    default:
      return null;
  }
}

/** The fast decoder of a field, or null when its form has none (the exact decoder is used). */
export function fastFieldDecoder(f: LayoutField, o: DecodeOptions, kind: NumericKind | undefined): FastFn | null {
  const t = f.type;
  if (!t) return null;
  const form = numberForm(f, o, kind);
  if (form !== null) {
    const { len, signed, scale } = form;
    switch (form.kind) {
      case 'packed':
        return scale >= 0
          ? (buf, at) => {
              const v = packedSmall(buf, at, len, signed);
              return v === v ? smallDecimal(v, scale) : undefined;
            }
          : (buf, at) => {
              const v = packedSmall(buf, at, len, signed);
              return v === v ? v : undefined;
            };
      case 'zoned':
        return scale >= 0
          ? (buf, at) => {
              const v = zonedSmall(buf, at, len, signed);
              return v === v ? smallDecimal(v, scale) : undefined;
            }
          : (buf, at) => {
              const v = zonedSmall(buf, at, len, signed);
              return v === v ? v : undefined;
            };
      default:
        if (len === 2)
          return signed
            ? (buf, at) => ((buf[at] << 24) >> 16) | buf[at + 1]
            : (buf, at) => (buf[at] << 8) | buf[at + 1];
        return signed
          ? (buf, at) => (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]
          : (buf, at) => ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
    }
  }
  switch (t.kind) {
    case 'text': {
      const trim = o.trim;
      if (trim === 'none' || trim === 'keep_all') return null;
      const text = textDecoderFor(o.encoding, o.codePage, o.asciiCharset);
      if (!text.singleByte) return null;
      const pad = text.pad;
      // improved null detection: all X'00' is null, which the fast path must not trim to text
      if (o.improvedNullDetection && pad[0] !== 1) return null;
      const len = t.length;
      const left = trim === 'left' || trim === 'both';
      const right = trim === 'right' || trim === 'both';
      // the field's last value: codes, currencies and flags repeat from record to record, and a
      // repeated value is then compared (character by character, no copy kept), not a string made
      const chars = charCodes(text);
      let lastText = '';
      const fn: FastFn = (buf, at) => {
        let a = at;
        let b = at + len;
        if (right) while (b > a && pad[buf[b - 1]] === 1) b--;
        if (left) while (a < b && pad[buf[a]] === 1) a++;
        // blank: '' or null (improved null detection) as the exact decoder says
        if (a === b) return undefined;
        const n = b - a;
        if (n === lastText.length) {
          // from the end: numbered values (NAME 1001, NAME 1002) differ there
          let i = n - 1;
          while (i >= 0 && lastText.charCodeAt(i) === chars[buf[a + i]]) i--;
          if (i < 0) return lastText;
        }
        // made of this field's bytes alone (cheaper than translating the whole record once, measured)
        lastText = n <= SHORT_TEXT ? shortText[n](chars, buf, a) : longText(chars, buf, a, n);
        return lastText;
      };
      textForms.set(fn, { chars, pad, len, left, right });
      return fn;
    }
    default:
      return null;
  }
}
