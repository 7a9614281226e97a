/**
 * Numeric-edited fields (PIC ZZ,ZZ9.99-, $$$9.99CR, ***9, 9(8).9(2), ...): the picture is
 * compiled into one rule per character position, and every position of the text is checked
 * against its rule. A digit position holds a digit (or, where the picture suppresses leading
 * zeros, a space / `*` / the floating symbol); an insertion position holds its character (or a
 * space or `*` where suppression replaced it); sign positions hold their sign. Anything else is
 * invalid data, never read as a zero.
 */
import { InvalidFieldData } from '../codec/errors.ts';
import type { Unscaled } from '../codec/numeric.ts';

interface PositionRule {
  /** The position holds a digit of the value. */
  digit: boolean;
  /** Non-digit characters allowed at this position. */
  allowed: string;
  /** The position carries a sign: `-`, CR, DB mean negative. */
  sign: boolean;
  /** The position may hold an overpunched sign (PIC S9(3).99: the sign in the zone of one digit). */
  overpunch: boolean;
}

export interface EditedPicture {
  rules: PositionRule[];
  blankWhenZero: boolean;
}

/** True at each picture position that holds a digit. */
export function digitPositions(picture: string): boolean[] {
  return compileEdited(picture, false).rules.map((r) => r.digit);
}

export function compileEdited(picture: string, blankWhenZero: boolean): EditedPicture {
  const rules: PositionRule[] = [];
  const signed = picture.startsWith('S');
  const starFill = picture.includes('*');
  // replaced by a space (or `*`) when zero suppression reaches them
  const suppressed = starFill ? ' *' : ' ';
  let floating = '';
  for (let i = 0; i < picture.length; i++) {
    const c = picture[i];
    if (c === 'V' || c === 'P' || (i === 0 && c === 'S')) continue;
    if ((c === 'C' && picture[i + 1] === 'R') || (c === 'D' && picture[i + 1] === 'B')) {
      const pair = c + picture[i + 1];
      rules.push(
        { digit: false, allowed: ` ${pair[0]}`, sign: true, overpunch: false },
        { digit: false, allowed: ` ${pair[1]}`, sign: true, overpunch: false },
      );
      i++;
      continue;
    }
    if (c === '$' || c === '+' || c === '-') {
      const symbols = c === '$' ? '$' : c === '+' ? '+-' : '-';
      const isFloating = floating === c || picture[i + 1] === c;
      // a floating string: the symbol moves right to the first digit, spaces before it
      rules.push({
        digit: floating === c,
        allowed: isFloating ? ` ${symbols}` : c === '-' ? ' -' : symbols,
        sign: c !== '$',
        overpunch: false,
      });
      floating = c;
      continue;
    }
    if (c === '9') rules.push({ digit: true, allowed: '', sign: false, overpunch: false });
    else if (c === 'Z') rules.push({ digit: true, allowed: ' ', sign: false, overpunch: false });
    else if (c === '*') rules.push({ digit: true, allowed: '*', sign: false, overpunch: false });
    else if (c === 'B') rules.push({ digit: false, allowed: suppressed, sign: false, overpunch: false });
    else rules.push({ digit: false, allowed: c + suppressed, sign: false, overpunch: false });
  }
  // S with an explicit point: one digit carries the sign in its zone (as Cobrix reads it, any digit)
  if (signed) for (const r of rules) if (r.digit) r.overpunch = true;
  return { rules, blankWhenZero };
}

const OVERPUNCH_POSITIVE = '{ABCDEFGHI';
const OVERPUNCH_NEGATIVE = '}JKLMNOPQR';

/** The unscaled value of a numeric-edited text; InvalidFieldData when a position breaks its rule. */
export function decodeEdited(text: string, p: EditedPicture): Unscaled | null {
  // all blanks is null with or without BLANK WHEN ZERO, as Cobrix 2.6.9 reads it: the bytes of an
  // uninitialised field and of a zero written under the clause are the same
  if (text.trim() === '') return null;
  const rules = p.rules;
  if (text.length !== rules.length)
    throw new InvalidFieldData(`numeric-edited text "${text}" does not match its picture length ${rules.length}`);
  let digits = '';
  let negative = false;
  let overpunched = false;
  // zero suppression only reaches digit positions left of the first digit written
  let seenDigit = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const r = rules[i];
    if (r.digit && c >= '0' && c <= '9') {
      digits += c;
      seenDigit = true;
      continue;
    }
    if (r.overpunch && !overpunched) {
      const pos = OVERPUNCH_POSITIVE.indexOf(c);
      const neg = OVERPUNCH_NEGATIVE.indexOf(c);
      if (pos >= 0 || neg >= 0) {
        overpunched = true;
        seenDigit = true;
        digits += String(pos >= 0 ? pos : neg);
        if (neg >= 0) negative = true;
        continue;
      }
    }
    if (!r.allowed.includes(c) || (r.digit && seenDigit)) {
      const expected = r.digit
        ? `a digit${r.allowed && !seenDigit ? ` or '${r.allowed.trim() || ' '}'` : ''}`
        : `'${r.allowed.trim() || ' '}'`;
      throw new InvalidFieldData(
        `invalid character '${c}' at position ${i + 1} of numeric-edited text "${text}" (expected ${expected.replace("' '", 'a space')})`,
      );
    }
    if (r.digit) digits += '0';
    if (r.sign && (c === '-' || c === 'C' || c === 'D')) negative = true;
  }
  const b = BigInt(digits || '0');
  const v: Unscaled = b <= 9007199254740991n ? Number(b) : b;
  if (!negative) return v;
  return typeof v === 'bigint' ? -v : v === 0 ? 0 : -v;
}
