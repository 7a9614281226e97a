/**
 * Elementary items: the decoded type (FieldType) of an item from its PICTURE, USAGE and SIGN
 * clauses, its storage size, and Cobrix's limits on sizes, precisions and scales.
 */
import type { CopybookEntry, Usage } from './ast.ts';
import { CopybookSyntaxError } from './errors.ts';
import type { FieldType } from './layout.ts';

/** Cobrix's limits: larger items, decimals and binary numbers are rejected as it rejects them. */
export const MAX_FIELD_SIZE = 99_999;
const MAX_DECIMAL_PRECISION = 38;
const MAX_DECIMAL_SCALE = 18;

export const NATURAL_ALIGNMENT: Partial<Record<string, number>> = { 'COMP-1': 4, 'COMP-2': 8 };

function binarySize(digits: number): number {
  if (digits <= 4) return 2;
  if (digits <= 9) return 4;
  if (digits <= 18) return 8;
  // beyond 18 digits, as Cobrix sizes them: enough bytes for the digits and a sign bit
  return Math.ceil((Math.log2(10) * digits + 1) / 8);
}

/** A copybook syntax error at the entry. */
export function fail(e: CopybookEntry, detail: string): never {
  throw new CopybookSyntaxError(e.line, e.column, detail);
}

/** The decoded type of an elementary item, from its PICTURE, USAGE and SIGN (its own or its group's). */
export function primitiveType(
  e: CopybookEntry,
  usage: Usage,
  sign: { position?: 'leading' | 'trailing'; separate?: boolean },
): FieldType {
  const p = e.picture;
  if (usage === 'COMP-1' || usage === 'COMP-2') {
    if (p) fail(e, `expected no PICTURE for ${e.name}: ${usage} items are floating point`);
    return { kind: 'float', size: usage === 'COMP-1' ? 4 : 8 };
  }
  if (usage === 'INDEX' || usage === 'POINTER')
    return { kind: 'binary', digits: 9, scale: 0, signed: usage === 'INDEX', native: true, size: 4 };
  if (!p) fail(e, `expected a PICTURE clause for elementary item ${e.name}`);
  if (e.signSeparate && usage !== 'DISPLAY')
    fail(e, `expected SIGN SEPARATE only on USAGE DISPLAY items, but ${e.name} is ${usage}`);
  if (p.displayLength > MAX_FIELD_SIZE)
    fail(
      e,
      `expected at most ${MAX_FIELD_SIZE} character positions in PIC ${p.source} of ${e.name} (Cobrix's limit) but it has ${p.displayLength}`,
    );
  if (p.category === 'numeric' || p.category === 'numeric-edited') {
    if (p.scale > 0 && Math.max(p.digits, p.scale) > MAX_DECIMAL_PRECISION)
      fail(
        e,
        `expected a decimal of at most ${MAX_DECIMAL_PRECISION} digits for ${e.name} (PIC ${p.source}), as Cobrix supports`,
      );
    if (p.scale > MAX_DECIMAL_SCALE)
      fail(
        e,
        `expected a decimal scale of at most ${MAX_DECIMAL_SCALE} for ${e.name} (PIC ${p.source}), as Cobrix supports`,
      );
    if ((usage === 'COMP' || usage === 'COMP-5' || usage === 'COMP-9') && p.digits > MAX_DECIMAL_PRECISION)
      fail(
        e,
        `expected a binary item of at most ${MAX_DECIMAL_PRECISION} digits for ${e.name} (PIC ${p.source}), as Cobrix supports`,
      );
  }
  switch (p.category) {
    case 'alphabetic':
    case 'alphanumeric':
    case 'alphanumeric-edited':
      // Cobrix's extensions: PIC X(n) COMP is n raw bytes, PIC X(n) COMP-3U n bytes of unsigned packed digits
      if (usage === 'COMP' && p.category === 'alphanumeric') return { kind: 'bytes', length: p.displayLength };
      if (usage === 'COMP-3U' && p.category === 'alphanumeric')
        return { kind: 'packed', digits: 2 * p.displayLength, scale: 0, signed: false, noSign: true };
      if (usage !== 'DISPLAY')
        fail(
          e,
          `expected USAGE DISPLAY (or Cobrix's COMP, COMP-3U) for alphanumeric item ${e.name} (PIC ${p.source}) but found ${usage}`,
        );
      return { kind: 'text', length: p.displayLength };
    case 'national':
      return { kind: 'national', length: p.displayLength * 2 };
    case 'dbcs':
      fail(e, `PIC G (DBCS) item ${e.name} is not supported`);
    // eslint-disable-next-line no-fallthrough
    case 'numeric-edited':
      if (usage !== 'DISPLAY')
        fail(e, `expected USAGE DISPLAY for numeric-edited item ${e.name} (PIC ${p.source}) but found ${usage}`);
      if (p.expanded.startsWith('S') && sign.separate) {
        // PIC S9(2).9(2) SIGN SEPARATE: a sign character of its own, as the edited picture +9(2).9(2) (or 9(2).9(2)+) reads it
        const picture = sign.position === 'leading' ? `+${p.expanded.slice(1)}` : `${p.expanded.slice(1)}+`;
        return {
          kind: 'edited',
          digits: p.digits,
          scale: p.scale,
          signed: true,
          picture,
          length: p.displayLength + 1,
          blankWhenZero: e.blankWhenZero === true,
        };
      }
      return {
        kind: 'edited',
        digits: p.digits,
        scale: p.scale,
        signed: p.signed,
        picture: p.expanded,
        length: p.displayLength,
        blankWhenZero: e.blankWhenZero === true,
      };
    case 'numeric':
      switch (usage) {
        case 'DISPLAY':
          // a SIGN clause on a picture without S still gets its sign (Cobrix reads it so, and counts the separate byte)
          return {
            kind: 'zoned',
            digits: p.digits,
            scale: p.scale,
            signed: p.signed || sign.separate === true,
            signPosition: sign.position ?? 'trailing',
            signSeparate: (p.signed || sign.separate === true) && sign.separate === true,
          };
        case 'COMP-3':
          return { kind: 'packed', digits: p.digits, scale: p.scale, signed: p.signed };
        case 'COMP-3U':
          return { kind: 'packed', digits: p.digits, scale: p.scale, signed: false, noSign: true };
        case 'COMP-9':
          return {
            kind: 'binary',
            digits: p.digits,
            scale: p.scale,
            signed: p.signed,
            native: true,
            size: p.digits <= 2 ? 1 : binarySize(p.digits),
            littleEndian: true,
          };
        case 'COMP':
        case 'COMP-5':
          return {
            kind: 'binary',
            digits: p.digits,
            scale: p.scale,
            signed: p.signed,
            native: usage === 'COMP-5',
            size: binarySize(p.digits),
          };
        case 'NATIONAL':
          fail(e, `national decimal item ${e.name} (PIC ${p.source} USAGE NATIONAL) is not supported`);
        // eslint-disable-next-line no-fallthrough
        default:
          fail(e, `USAGE ${usage} is not valid for numeric item ${e.name}`);
      }
  }
}

/** Bytes one occurrence of a field of the type takes. */
export function storageSize(t: FieldType): number {
  switch (t.kind) {
    case 'text':
    case 'bytes':
    case 'national':
      return t.length;
    case 'zoned':
      return t.digits + (t.signSeparate ? 1 : 0);
    case 'packed':
      return t.noSign ? Math.floor((t.digits + 1) / 2) : Math.floor(t.digits / 2) + 1;
    case 'binary':
    case 'float':
      return t.size;
    case 'edited':
      return t.length;
  }
}
