/**
 * Round trip (acceptance of "never silently wrong"): random copybooks (text, zoned with every
 * sign convention, packed, binary, explicit decimal point, edited, OCCURS; Cobrix's COMP-3U on
 * PIC 9 and PIC X, COMP-9, PIC X COMP; with or without a level-01 root) and random values,
 * written by an encoder of this test's own (EBCDIC cp037 bytes built here from the IBM rules, not
 * by connectors/mainframe/testing.ts), decoded back: every value equal. Values whose bytes are all
 * X'40' or all X'00' (COMP-3U 40, COMP-9 64, 0) are drawn on purpose: they are values, not blank
 * fields. A `PIC Z(n)` holding 0 is all blanks, which reads as null (as Cobrix reads it; the
 * ambiguity docs/mainframe.md describes) — the expectation says so. Then one digit position of
 * a numeric field gets a non-digit (blank, point, letter, sign): the decode fails naming that
 * field (invalid.data.policy=fail) or gives null for it (null) — never another number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BigDecimal } from '../../sdk/data.ts';
import { FUZZ_TIMEOUT_MS, fuzzParams } from '../../test/helpers/fuzz.ts';
import { parseLayout } from './copybook/layout.ts';
import { DEFAULT_DECODE_OPTIONS } from './decoder/options.ts';
import { RecordDecodeError, RecordDecoder } from './decoder/record-decoder.ts';

// ---- the test's own EBCDIC (cp037) encoder -------------------------------------------------------

const EBCDIC: Record<string, number> = { ' ': 0x40, '.': 0x4b, ',': 0x6b, '-': 0x60, '+': 0x4e, '*': 0x5c, $: 0x5b };
for (let d = 0; d <= 9; d++) EBCDIC[String(d)] = 0xf0 + d;
'ABCDEFGHI'.split('').forEach((c, i) => {
  EBCDIC[c] = 0xc1 + i;
});
'JKLMNOPQR'.split('').forEach((c, i) => {
  EBCDIC[c] = 0xd1 + i;
});
'STUVWXYZ'.split('').forEach((c, i) => {
  EBCDIC[c] = 0xe2 + i;
});
const ebcdic = (text: string) => Buffer.from([...text].map((c) => EBCDIC[c]));

type FieldSpec =
  | { kind: 'text'; len: number; value: string }
  | {
      kind: 'zoned';
      int: number;
      frac: number;
      signed: boolean;
      sign: 'overpunch' | 'leading' | 'trailing-sep' | 'leading-sep';
      value: bigint;
    }
  | { kind: 'packed'; int: number; frac: number; signed: boolean; value: bigint }
  | { kind: 'binary'; digits: number; signed: boolean; value: bigint }
  | { kind: 'point'; int: number; frac: number; value: bigint }
  | { kind: 'edited'; int: number; value: bigint }
  | { kind: 'zonly'; int: number; value: bigint }
  | { kind: 'packedU'; digits: number; alnum: boolean; value: bigint }
  | { kind: 'comp9'; digits: number; signed: boolean; value: bigint }
  | { kind: 'bytes'; value: Buffer };

const comp9Size = (digits: number) => (digits <= 2 ? 1 : digits <= 4 ? 2 : digits <= 9 ? 4 : 8);

const digitsOf = (v: bigint, n: number) => (v < 0n ? -v : v).toString().padStart(n, '0');

function picture(f: FieldSpec): string {
  switch (f.kind) {
    case 'text':
      return `PIC X(${f.len})`;
    case 'zoned': {
      const pic = `${f.signed ? 'S' : ''}9(${f.int})${f.frac ? `V9(${f.frac})` : ''}`;
      const sign =
        f.sign === 'leading'
          ? ' SIGN LEADING'
          : f.sign === 'trailing-sep'
            ? ' SIGN TRAILING SEPARATE'
            : f.sign === 'leading-sep'
              ? ' SIGN LEADING SEPARATE'
              : '';
      return `PIC ${pic}${f.signed ? sign : ''}`;
    }
    case 'packed':
      return `PIC ${f.signed ? 'S' : ''}9(${f.int})${f.frac ? `V9(${f.frac})` : ''} COMP-3`;
    case 'binary':
      return `PIC ${f.signed ? 'S' : ''}9(${f.digits}) COMP`;
    case 'point':
      return `PIC 9(${f.int}).9(${f.frac})`;
    case 'edited':
      return `PIC Z(${f.int})9.99-`;
    case 'zonly':
      return `PIC Z(${f.int})`;
    case 'packedU':
      return f.alnum ? `PIC X(${f.digits / 2}) COMP-3U` : `PIC 9(${f.digits}) COMP-3U`;
    case 'comp9':
      return `PIC ${f.signed ? 'S' : ''}9(${f.digits}) COMP-9`;
    case 'bytes':
      return `PIC X(${f.value.length}) COMP`;
  }
}

function encode(f: FieldSpec): Buffer {
  switch (f.kind) {
    case 'text':
      return ebcdic(f.value.padEnd(f.len, ' '));
    case 'zoned': {
      const bytes = [...digitsOf(f.value, f.int + f.frac)].map((d) => 0xf0 + Number(d));
      const negative = f.value < 0n;
      if (!f.signed) return Buffer.from(bytes);
      if (f.sign === 'overpunch') bytes[bytes.length - 1] = (negative ? 0xd0 : 0xc0) | (bytes[bytes.length - 1] & 0x0f);
      else if (f.sign === 'leading') bytes[0] = (negative ? 0xd0 : 0xc0) | (bytes[0] & 0x0f);
      else if (f.sign === 'trailing-sep') bytes.push(negative ? 0x60 : 0x4e);
      else bytes.unshift(negative ? 0x60 : 0x4e);
      return Buffer.from(bytes);
    }
    case 'packed': {
      const digits = f.int + f.frac;
      const len = Math.floor(digits / 2) + 1;
      const nibbles = [...digitsOf(f.value, len * 2 - 1)].map(Number);
      nibbles.push(f.signed ? (f.value < 0n ? 0xd : 0xc) : 0xf);
      return Buffer.from(Array.from({ length: len }, (_, i) => (nibbles[2 * i] << 4) | nibbles[2 * i + 1]));
    }
    case 'binary': {
      const size = f.digits <= 4 ? 2 : f.digits <= 9 ? 4 : 8;
      const out = Buffer.alloc(size);
      let v = BigInt.asUintN(size * 8, f.value);
      for (let i = size - 1; i >= 0; i--) {
        out[i] = Number(v & 0xffn);
        v >>= 8n;
      }
      return out;
    }
    case 'point': {
      const s = digitsOf(f.value, f.int + f.frac);
      return ebcdic(`${s.slice(0, f.int)}.${s.slice(f.int)}`);
    }
    case 'edited': {
      // Z(n)9.99-: leading zeros of the integer part (but the last) become blanks
      const s = digitsOf(f.value, f.int + 3);
      const int = s.slice(0, f.int + 1);
      const shown = int.replace(/^0+(?=\d)/, (z) => ' '.repeat(z.length));
      return ebcdic(`${shown}.${s.slice(f.int + 1)}${f.value < 0n ? '-' : ' '}`);
    }
    case 'zonly': {
      // every position suppresses a leading zero: 0 is all blanks
      const s = digitsOf(f.value, f.int);
      return ebcdic(f.value === 0n ? ' '.repeat(f.int) : s.replace(/^0+/, (z) => ' '.repeat(z.length)));
    }
    case 'packedU': {
      // digits only, no sign nibble; an odd count has a leading zero nibble
      const len = Math.floor((f.digits + 1) / 2);
      const nibbles = [...digitsOf(f.value, len * 2)].map(Number);
      return Buffer.from(Array.from({ length: len }, (_, i) => (nibbles[2 * i] << 4) | nibbles[2 * i + 1]));
    }
    case 'comp9': {
      const size = comp9Size(f.digits);
      const out = Buffer.alloc(size);
      let v = BigInt.asUintN(size * 8, f.value);
      for (let i = 0; i < size; i++) {
        out[i] = Number(v & 0xffn);
        v >>= 8n;
      }
      return out;
    }
    case 'bytes':
      return f.value;
  }
}

/** Digit positions of the field's bytes (where a non-digit must never read as a number). */
function digitPositions(f: FieldSpec, bytes: Buffer): number[] {
  switch (f.kind) {
    case 'zoned': {
      const all = [...bytes.keys()];
      return f.signed && f.sign === 'leading-sep'
        ? all.slice(1)
        : f.signed && f.sign === 'trailing-sep'
          ? all.slice(0, -1)
          : all;
    }
    case 'point':
      return [...bytes.keys()].filter((i) => i !== f.int);
    case 'edited':
      return [...bytes.keys()].filter((i) => i >= f.int && i !== f.int + 1 && i < bytes.length - 1);
    default:
      return [];
  }
}

type Value = { text: string } | { unscaled: bigint; scale: number } | { hex: string };

function expected(f: FieldSpec): Value | null {
  switch (f.kind) {
    case 'text':
      return { text: f.value };
    case 'packedU':
    case 'comp9':
      return { unscaled: f.value, scale: 0 };
    case 'bytes':
      return { hex: f.value.toString('hex') };
    case 'zoned':
    case 'packed':
      return { unscaled: f.value, scale: f.frac };
    case 'binary':
      return { unscaled: f.value, scale: 0 };
    case 'point':
      return { unscaled: f.value, scale: f.frac };
    case 'edited':
      return { unscaled: f.value, scale: 2 };
    // blanks are also an uninitialised field: null, as Cobrix reads them (docs/mainframe.md)
    case 'zonly':
      return f.value === 0n ? null : { unscaled: f.value, scale: 0 };
  }
}

function decodedAs(v: unknown): Value | null {
  if (v === null) return null;
  if (typeof v === 'string') return { text: v };
  if (Buffer.isBuffer(v)) return { hex: v.toString('hex') };
  if (v instanceof BigDecimal) return { unscaled: v.unscaled, scale: v.scale };
  return { unscaled: BigInt(v as number | bigint), scale: 0 };
}

// ---- generators -------------------------------------------------------------------------------

const bounded = (digits: number, signed: boolean) => {
  const max = 10n ** BigInt(digits) - 1n;
  return fc.bigInt({ min: signed ? -max : 0n, max });
};

/** `bounded`, plus now and then the values among `special` the picture can hold (whose bytes are all X'40' or all X'00'). */
const boundedWith = (digits: number, signed: boolean, special: bigint[]) => {
  const fits = special.filter((v) => v <= 10n ** BigInt(digits) - 1n);
  return fits.length === 0
    ? bounded(digits, signed)
    : fc.oneof({ weight: 4, arbitrary: bounded(digits, signed) }, { weight: 1, arbitrary: fc.constantFrom(...fits) });
};
/** The value whose `size` bytes are all X'40': as packed digits without a sign (COMP-3U), as a binary integer (COMP-9). */
const fortyDigits = (size: number) => BigInt('40'.repeat(size));
const fortyBinary = (size: number) => BigInt(`0x${'40'.repeat(size)}`);

const field: fc.Arbitrary<FieldSpec> = fc.oneof(
  fc.integer({ min: 1, max: 12 }).chain((len) =>
    fc
      .stringMatching(new RegExp(`^[A-Z0-9](?:[A-Z0-9 .,]{0,${len - 2}}[A-Z0-9])?$`))
      .filter((s) => s.length <= len)
      .map((value) => ({ kind: 'text' as const, len, value })),
  ),
  fc
    .record({
      int: fc.integer({ min: 1, max: 20 }),
      frac: fc.integer({ min: 0, max: 6 }),
      signed: fc.boolean(),
      sign: fc.constantFrom('overpunch' as const, 'leading' as const, 'trailing-sep' as const, 'leading-sep' as const),
    })
    .chain((p) => bounded(p.int + p.frac, p.signed).map((value) => ({ kind: 'zoned' as const, ...p, value }))),
  fc
    .record({ int: fc.integer({ min: 1, max: 25 }), frac: fc.integer({ min: 0, max: 6 }), signed: fc.boolean() })
    .chain((p) => bounded(p.int + p.frac, p.signed).map((value) => ({ kind: 'packed' as const, ...p, value }))),
  fc
    .record({ digits: fc.integer({ min: 1, max: 18 }), signed: fc.boolean() })
    .chain((p) => bounded(p.digits, p.signed).map((value) => ({ kind: 'binary' as const, ...p, value }))),
  fc
    .record({ int: fc.integer({ min: 1, max: 12 }), frac: fc.integer({ min: 1, max: 4 }) })
    .chain((p) => bounded(p.int + p.frac, false).map((value) => ({ kind: 'point' as const, ...p, value }))),
  fc
    .integer({ min: 1, max: 8 })
    .chain((int) => bounded(int + 3, true).map((value) => ({ kind: 'edited' as const, int, value }))),
  fc
    .record({ digits: fc.integer({ min: 1, max: 24 }), alnum: fc.boolean() })
    .map((p) => ({ ...p, digits: p.alnum ? 2 * Math.ceil(p.digits / 2) : p.digits }))
    .chain((p) =>
      boundedWith(p.digits, false, [0n, fortyDigits(Math.floor((p.digits + 1) / 2))]).map((value) => ({
        kind: 'packedU' as const,
        ...p,
        value,
      })),
    ),
  fc.record({ digits: fc.integer({ min: 1, max: 18 }), signed: fc.boolean() }).chain((p) =>
    boundedWith(p.digits, p.signed, [0n, fortyBinary(comp9Size(p.digits))]).map((value) => ({
      kind: 'comp9' as const,
      ...p,
      value,
    })),
  ),
  fc
    .integer({ min: 1, max: 8 })
    .chain((int) => boundedWith(int, false, [0n]).map((value) => ({ kind: 'zonly' as const, int, value }))),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => ({ kind: 'bytes' as const, value: Buffer.from(b) })),
);

const record = fc.record({
  fields: fc.array(field, { minLength: 1, maxLength: 8 }),
  occurs: fc.integer({ min: 1, max: 3 }),
  noRoot: fc.boolean(),
});

/** `noRoot`: no level-01 record, the table is the copybook's top-level item (as Cobrix's tests write copybooks). */
function copybookOf(fields: FieldSpec[], occurs: number, noRoot = false): string {
  const lines = [...(noRoot ? [] : ['       01  R.']), `           05  G OCCURS ${occurs} TIMES.`];
  fields.forEach((f, i) => lines.push(`               10  F${i}  ${picture(f)}.`));
  return lines.join('\n');
}

describe('mainframe round trip: random copybooks and values through an independent encoder', () => {
  it(
    'decodes every value back exactly',
    () => {
      fc.assert(
        fc.property(record, ({ fields, occurs, noRoot }) => {
          const decoder = new RecordDecoder(parseLayout(copybookOf(fields, occurs, noRoot)), {
            ...DEFAULT_DECODE_OPTIONS,
          });
          const one = Buffer.concat(fields.map(encode));
          const bytes = Buffer.concat(Array.from({ length: occurs }, () => one));
          const values = decoder.decode(bytes).values;
          const table = (noRoot ? values[0] : (values[0] as unknown[])[0]) as unknown[][];
          for (let k = 0; k < occurs; k++)
            fields.forEach((f, i) => expect(decodedAs(table[k][i])).toEqual(expected(f)));
        }),
        fuzzParams(400),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a non-digit in a digit position fails naming the field, or is null — never another number',
    () => {
      const numeric = field.filter((f) => f.kind === 'zoned' || f.kind === 'point' || f.kind === 'edited');
      const bad = fc.constantFrom(' ', '.', ',', 'X', '+', '-', '*');
      fc.assert(
        fc.property(fc.array(field, { maxLength: 4 }), numeric, fc.nat(), bad, (others, target, pick, junk) => {
          const fields = [...others, target];
          const layout = parseLayout(copybookOf(fields, 1));
          const encoded = fields.map(encode);
          const positions = digitPositions(target, encoded[encoded.length - 1]);
          const at = positions[pick % positions.length];
          const original = encoded[encoded.length - 1][at];
          const bytesOf = encoded[encoded.length - 1];
          // valid on purpose: leading blanks of a zoned number read as zeros; a letter in the byte
          // carrying a zoned sign is a sign zone (C/A/E/F +, D/B -), as IBM defines them
          const leadingBlank =
            target.kind === 'zoned' && junk === ' ' && bytesOf.subarray(positions[0], at).every((b) => b === 0x40);
          const signByte =
            target.kind === 'zoned' &&
            (target.signed && target.sign === 'leading'
              ? at === 0
              : (!target.signed || target.sign === 'overpunch') && at === bytesOf.length - 1);
          if (leadingBlank || (signByte && /[A-Z]/.test(junk)) || original === EBCDIC[junk]) return;
          encoded[encoded.length - 1][at] = EBCDIC[junk];
          const bytes = Buffer.concat(encoded);
          const path = `R.G.F${fields.length - 1}`;
          let failure: unknown;
          try {
            new RecordDecoder(layout, { ...DEFAULT_DECODE_OPTIONS }).decode(bytes);
          } catch (err) {
            failure = err;
          }
          expect(
            failure,
            `no error for '${junk}' at byte ${at} of ${picture(target)} holding ${encoded[encoded.length - 1].toString('hex')}`,
          ).toBeInstanceOf(RecordDecodeError);
          expect((failure as RecordDecodeError).errors.map((e) => e.path)).toContain(path);
          const nulled = new RecordDecoder(layout, { ...DEFAULT_DECODE_OPTIONS, invalidData: 'null' }).decode(bytes)
            .values as [unknown[][][]];
          expect(nulled[0][0][0][fields.length - 1]).toBeNull();
        }),
        fuzzParams(400),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
