/**
 * Decoders of elementary items: bytes of one field → its value (text, a number as a JS number,
 * bigint or BigDecimal, a float), by the field's type and the decoding options.
 */
import { BigDecimal } from '../../../sdk/data.ts';
import { InvalidFieldData } from '../codec/errors.ts';
import { smallDecimal } from '../codec/small-decimal.ts';
import {
  cobrixDisplayText,
  decodeBinary,
  decodePackedNoSign,
  decodeIbmFloat,
  decodeIeeeFloat,
  decodePacked,
  decodeZoned,
  lenientUnscaled,
  truncateToDigits,
  type Unscaled,
} from '../codec/numeric.ts';
import { decodeNational, textDecoderFor, trimText } from '../codec/text.ts';
import type { FieldType, LayoutField } from '../copybook/layout.ts';
import { compileEdited, decodeEdited } from './edited.ts';
import type { DecodeOptions } from './options.ts';
import type { DecodeContext, NumericKind } from './record-decoder.ts';

const TEN = 10n;

function scaled(v: Unscaled, scale: number, kind: NumericKind): unknown {
  if (scale < 0) {
    const m = TEN ** BigInt(-scale);
    const b = BigInt(v) * m;
    if (kind.type === 'decimal') return new BigDecimal(b, 0);
    return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  }
  if (kind.type === 'decimal')
    return typeof v === 'number' ? smallDecimal(v, kind.scale) : new BigDecimal(v, kind.scale);
  return v;
}

export function numericKind(t: FieldType, o: DecodeOptions): NumericKind {
  if (t.kind === 'float') return { type: t.size === 4 ? 'float32' : 'float64' };
  if (t.kind === 'text' || t.kind === 'national' || t.kind === 'bytes') throw new Error('not numeric');
  const scale = t.scale;
  let precision: number;
  if (t.kind === 'binary' && (t.native || o.binaryTruncation === 'bin')) {
    // any value of the storage can occur: size the type by bytes
    precision =
      t.size === 1
        ? 3
        : t.size === 2
          ? 5
          : t.size === 4
            ? t.signed
              ? 9
              : 10
            : t.size === 8
              ? t.signed
                ? 18
                : 20
              : Math.ceil(8 * t.size * Math.log10(2));
    if (scale > 0) return { type: 'decimal', scale, precision };
  } else {
    precision = t.digits;
    if (scale > 0) return { type: 'decimal', scale, precision: Math.max(precision, scale) };
  }
  precision += Math.max(0, -scale);
  if (precision <= 9) return { type: 'int32' };
  if (precision <= 18) return { type: 'int64' };
  return { type: 'decimal', scale: 0, precision };
}

type TextDecoder = ReturnType<typeof textDecoderFor>;

function isAllZero(buf: Buffer, at: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (buf[at + i] !== 0) return false;
  return true;
}

function textFieldDecoder(
  len: number,
  text: TextDecoder,
  trim: DecodeOptions['trim'],
): (buf: Buffer, at: number, ctx: DecodeContext) => unknown {
  const pad = text.pad;
  if (trim === 'none' || trim === 'keep_all') return (buf, at) => text.decode(buf, at, at + len);
  const left = trim === 'left' || trim === 'both';
  const right = trim === 'right' || trim === 'both';
  // trim pad bytes before decoding: no intermediate string
  if (text.singleByte) {
    return (buf, at, ctx) => {
      let a = at;
      let b = at + len;
      if (left) while (a < b && pad[buf[a]] === 1) a++;
      if (right) while (b > a && pad[buf[b - 1]] === 1) b--;
      if (a === b) return '';
      if (ctx.recordText === null)
        ctx.recordText = text.decodeSpans!(buf, ctx.recordStart, ctx.recordEnd, ctx.textSpans);
      return ctx.recordText.substring(a - ctx.recordStart, b - ctx.recordStart);
    };
  }
  return (buf, at) => {
    let a = at;
    let b = at + len;
    if (left) while (a < b && pad[buf[a]] === 1) a++;
    if (right) while (b > a && pad[buf[b - 1]] === 1) b--;
    return text.decode(buf, a, b);
  };
}

/**
 * A text field cut short by the record end (a variable-length record without its trailing bytes):
 * the bytes present, as Cobrix reads them. Numbers cut short stay null (never a value of other digits).
 */
export function partialTextDecoder(
  f: LayoutField,
  o: DecodeOptions,
): ((buf: Buffer, at: number, end: number) => unknown) | undefined {
  if (f.type?.kind !== 'text') return undefined;
  const text = textDecoderFor(o.encoding, o.codePage, o.asciiCharset);
  const nullIfZero = o.improvedNullDetection === true && o.trim !== 'keep_all';
  return (buf, at, end) =>
    nullIfZero && isAllZero(buf, at, end - at) ? null : trimText(text.decode(buf, at, end), o.trim);
}

export function primitiveDecoder(
  f: LayoutField,
  o: DecodeOptions,
  kind: NumericKind | undefined,
): (buf: Buffer, at: number, ctx: DecodeContext) => unknown {
  const t = f.type!;
  const ebcdic = o.encoding === 'ebcdic';
  const text = textDecoderFor(o.encoding, o.codePage, o.asciiCharset);
  const trim = o.trim;
  switch (t.kind) {
    case 'text': {
      const decodeText = textFieldDecoder(t.length, text, trim);
      if (!o.improvedNullDetection || trim === 'keep_all') return decodeText;
      const len = t.length;
      return (buf, at, ctx) => (isAllZero(buf, at, len) ? null : decodeText(buf, at, ctx));
    }
    case 'national': {
      const len = t.length;
      return (buf, at) => trimText(decodeNational(buf, at, at + len), trim);
    }
    case 'bytes': {
      const len = t.length;
      return (buf, at) => Buffer.from(buf.subarray(at, at + len));
    }
    case 'zoned': {
      const len = t.digits + (t.signSeparate ? 1 : 0);
      const zo = { signed: t.signed, signPosition: t.signPosition, signSeparate: t.signSeparate, ebcdic };
      const scale = t.scale;
      if (o.invalidData === 'lenient') {
        const allowOverpunch = t.signed || !o.strictSignOverpunch;
        const precision = Math.max(t.digits, scale);
        // Cobrix: a blank V-scaled field reads as 0 (its text "" gets a decimal point) unless improved_null_detection
        const blankIsZero = scale > 0 && !o.improvedNullDetection;
        return (buf, at) => {
          const text = cobrixDisplayText(buf, at, len, ebcdic, !t.signed, allowOverpunch);
          const v = text === '' && blankIsZero ? 0 : lenientUnscaled(text, scale, false, precision);
          return v === null ? null : scaled(v, scale, kind!);
        };
      }
      return (buf, at) => {
        const v = decodeZoned(buf, at, len, zo);
        return v === null ? null : scaled(v, scale, kind!);
      };
    }
    case 'packed': {
      const { signed, scale } = t;
      if (t.noSign) {
        const len = Math.floor((t.digits + 1) / 2);
        return (buf, at) => scaled(decodePackedNoSign(buf, at, len), scale, kind!);
      }
      const len = Math.floor(t.digits / 2) + 1;
      return (buf, at) => {
        const v = decodePacked(buf, at, len, signed);
        return v === null ? null : scaled(v, scale, kind!);
      };
    }
    case 'binary': {
      const { size, signed, scale, digits } = t;
      const littleEndian = t.littleEndian === true;
      const truncate = !t.native && o.binaryTruncation === 'std';
      return (buf, at) => {
        let v = decodeBinary(buf, at, size, signed, !littleEndian);
        if (truncate) v = truncateToDigits(v, digits);
        return scaled(v, scale, kind!);
      };
    }
    case 'float': {
      const size = t.size;
      const fmt = o.floatingPoint;
      if (fmt === 'IBM') return (buf, at) => decodeIbmFloat(buf, at, size);
      if (fmt === 'IBM_little_endian') {
        return (buf, at) => {
          const tmp = Buffer.from(buf.subarray(at, at + size)).reverse();
          return decodeIbmFloat(tmp, 0, size);
        };
      }
      const be = fmt === 'IEEE754';
      return (buf, at) => decodeIeeeFloat(buf, at, size, be);
    }
    case 'edited': {
      const picture = compileEdited(t.picture, t.blankWhenZero);
      const len = t.length;
      const scale = t.scale;
      if (o.invalidData === 'lenient') {
        const explicitPoint = t.picture.includes('.');
        const precision = Math.max(t.digits, scale);
        const allowOverpunch = t.signed || !o.strictSignOverpunch;
        return (buf, at) => {
          let v: Unscaled | null;
          try {
            v = decodeEdited(text.decode(buf, at, at + len), picture);
          } catch (err) {
            if (!(err instanceof InvalidFieldData)) throw err;
            v = lenientUnscaled(
              cobrixDisplayText(buf, at, len, ebcdic, !t.signed, allowOverpunch),
              scale,
              explicitPoint,
              precision,
            );
          }
          return v === null ? null : scaled(v, scale, kind!);
        };
      }
      return (buf, at) => {
        const v = decodeEdited(text.decode(buf, at, at + len), picture);
        return v === null ? null : scaled(v, scale, kind!);
      };
    }
  }
}
