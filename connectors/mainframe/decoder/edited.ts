/**
 * Numeric-edited fields (PIC ZZ,ZZ9.99-, $$$9.99CR, ***9, 9990, ...): walks the picture and the
 * text position by position; digit positions contribute digits (suppressed ones read as 0),
 * insertion characters are skipped, `-`, CR or DB anywhere mean negative.
 */
import { InvalidFieldData } from '../codec/errors.ts';
import type { Unscaled } from '../codec/numeric.ts';

/** True at each picture position that holds a digit. */
export function digitPositions(picture: string): boolean[] {
  const mask: boolean[] = [];
  let floating = '';
  for (let i = 0; i < picture.length; i++) {
    const c = picture[i];
    if (c === 'V' || c === 'P' || (i === 0 && c === 'S')) continue;
    if (c === 'C' && picture[i + 1] === 'R') { mask.push(false, false); i++; continue; }
    if (c === 'D' && picture[i + 1] === 'B') { mask.push(false, false); i++; continue; }
    if (c === '$' || c === '+' || c === '-') {
      mask.push(floating === c);
      floating = c;
      continue;
    }
    mask.push(c === '9' || c === 'Z' || c === '*');
  }
  return mask;
}

export function decodeEdited(text: string, mask: boolean[], blankWhenZero: boolean): Unscaled | null {
  if (text.trim() === '') return blankWhenZero ? 0 : null;
  if (text.length !== mask.length) throw new InvalidFieldData(`numeric-edited text "${text}" does not match its picture length ${mask.length}`);
  let digits = '';
  let negative = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (mask[i]) {
      if (c >= '0' && c <= '9') digits += c;
      else if (c === ' ' || c === '*' || c === '$' || c === '+' || c === ',' || c === '.') digits += '0';
      else if (c === '-') { digits += '0'; negative = true; }
      else if (c === '{') digits += '0';
      else if (c >= 'A' && c <= 'I') digits += String(c.charCodeAt(0) - 64);
      else if (c === '}') { digits += '0'; negative = true; }
      else if (c >= 'J' && c <= 'R') { digits += String(c.charCodeAt(0) - 73); negative = true; }
      else throw new InvalidFieldData(`invalid character '${c}' at digit position ${i + 1} of numeric-edited text "${text}"`);
    } else if (c === '-') negative = true;
  }
  if (/(CR|DB)\s*$/.test(text)) negative = true;
  const b = BigInt(digits || '0');
  const v: Unscaled = b <= 9007199254740991n ? Number(b) : b;
  if (!negative) return v;
  return typeof v === 'bigint' ? -v : v === 0 ? 0 : -v;
}
