/**
 * PICTURE strings: expands repetition factors (`X(10)`, `9(5)`), classifies the item (alphabetic,
 * alphanumeric, numeric, numeric-edited, alphanumeric-edited, national) and derives digits,
 * scale (V, P scaling, the period of edited pictures), sign and display length.
 */
export type PictureCategory =
  'alphabetic' | 'alphanumeric' | 'numeric' | 'numeric-edited' | 'alphanumeric-edited' | 'national' | 'dbcs';

export interface Picture {
  /** As written, upper-cased. */
  source: string;
  /** Repetitions expanded, e.g. `S9999V99`. */
  expanded: string;
  category: PictureCategory;
  /** Digit positions (numeric and numeric-edited), not counting P. */
  digits: number;
  /** Digits right of the decimal point; with P scaling possibly larger than digits, or negative. */
  scale: number;
  signed: boolean;
  /** Character positions in USAGE DISPLAY (S not counted, CR/DB count 2). */
  displayLength: number;
}

export class PictureError extends Error {}

/** Enterprise COBOL's largest elementary item (without LP(64)): 134,217,727 character positions. */
export const MAX_PICTURE_POSITIONS = 134_217_727;

const ALLOWED = /^[9XASVPNGZ*+\-$,./B0CRDBE]$/;

export function expandPicture(source: string): string {
  const s = source.toUpperCase();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') {
      const close = s.indexOf(')', i);
      if (close < 0) throw new PictureError(`unclosed repetition factor in PIC ${source}`);
      const n = Number(s.slice(i + 1, close));
      if (!Number.isInteger(n) || n < 1)
        throw new PictureError(`invalid repetition factor "${s.slice(i + 1, close)}" in PIC ${source}`);
      if (out.length === 0) throw new PictureError(`repetition factor without a symbol in PIC ${source}`);
      // checked before expanding: the factor would otherwise size a string of its own (up to an out-of-memory)
      if (out.length + n - 1 > MAX_PICTURE_POSITIONS)
        throw new PictureError(
          `PIC ${source} has more than ${MAX_PICTURE_POSITIONS} character positions, the most an item can have (Enterprise COBOL)`,
        );
      out += out[out.length - 1].repeat(n - 1);
      i = close;
      continue;
    }
    if (!ALLOWED.test(c)) throw new PictureError(`invalid character '${c}' in PIC ${source}`);
    out += c;
  }
  return out;
}

export function parsePicture(source: string): Picture {
  const expanded = expandPicture(source);
  if (expanded.length === 0) throw new PictureError('empty PICTURE string');
  const has = (re: RegExp) => re.test(expanded);
  const base = { source: source.toUpperCase(), expanded };
  if (has(/^N+$/))
    return { ...base, category: 'national', digits: 0, scale: 0, signed: false, displayLength: expanded.length };
  if (has(/^G+$/))
    return { ...base, category: 'dbcs', digits: 0, scale: 0, signed: false, displayLength: expanded.length };
  if (has(/^A+$/))
    return { ...base, category: 'alphabetic', digits: 0, scale: 0, signed: false, displayLength: expanded.length };
  if (has(/[XA]/)) {
    if (!has(/^[XA9B0/]+$/)) throw new PictureError(`PIC ${source} mixes alphanumeric and numeric editing symbols`);
    return {
      ...base,
      category: has(/[B0/]/) ? 'alphanumeric-edited' : 'alphanumeric',
      digits: 0,
      scale: 0,
      signed: false,
      displayLength: expanded.length,
    };
  }
  if (has(/^S?[9VP]+$/)) return numericPicture(base, expanded);
  if (has(/E/)) throw new PictureError(`PIC ${source}: external floating point pictures are not supported`);
  return editedPicture(base, expanded);
}

function numericPicture(base: { source: string; expanded: string }, expanded: string): Picture {
  const signed = expanded.startsWith('S');
  const body = signed ? expanded.slice(1) : expanded;
  if ((body.match(/V/g) ?? []).length > 1) throw new PictureError(`PIC ${base.source} has more than one V`);
  const digits = (body.match(/9/g) ?? []).length;
  if (digits === 0) throw new PictureError(`PIC ${base.source} has no digit positions`);
  const firstDigit = body.indexOf('9');
  const lastDigit = body.lastIndexOf('9');
  const leadingP = (body.slice(0, firstDigit).match(/P/g) ?? []).length;
  const trailingP = (body.slice(lastDigit).match(/P/g) ?? []).length;
  if ((body.match(/P/g) ?? []).length !== leadingP + trailingP)
    throw new PictureError(`PIC ${base.source}: P must be at the left or right end of the digits`);
  const v = body.indexOf('V');
  let scale: number;
  if (leadingP > 0) scale = digits + leadingP;
  else if (trailingP > 0) {
    if (v >= 0 && v < lastDigit)
      throw new PictureError(`PIC ${base.source}: V cannot precede digits when P scales to the right`);
    scale = -trailingP;
  } else scale = v < 0 ? 0 : (body.slice(v).match(/9/g) ?? []).length;
  return { ...base, category: 'numeric', digits, scale, signed, displayLength: digits };
}

function editedPicture(base: { source: string; expanded: string }, expanded: string): Picture {
  // S with an explicit period (PIC S9(3).99): the sign is overpunched on a digit
  let signed = expanded.startsWith('S');
  let s = signed ? expanded.slice(1) : expanded;
  let length = 0;
  if (s.endsWith('CR') || s.endsWith('DB')) {
    signed = true;
    s = s.slice(0, -2);
    length += 2;
  }
  if (/[^9ZP*+\-$,./B0V]/.test(s)) throw new PictureError(`PIC ${base.source} is not a valid numeric-edited picture`);
  if (/[+-]/.test(s)) signed = true;
  checkSignSymbols(base.source, s, length > 0);
  // the first character of a floating insertion string ($$$, +++, ---) holds no digit
  let digits = 0;
  let scale = 0;
  let afterPoint = false;
  let floating = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === 'V') {
      afterPoint = true;
      continue;
    }
    if (c === 'P') continue;
    length++;
    if (c === '.') {
      afterPoint = true;
      continue;
    }
    let isDigit = c === '9' || c === 'Z' || c === '*';
    if (c === '$' || c === '+' || c === '-') {
      if (floating === c) isDigit = true;
      else floating = c;
    }
    if (isDigit) {
      digits++;
      if (afterPoint) scale++;
    }
  }
  if (digits === 0) throw new PictureError(`PIC ${base.source} has no digit positions`);
  return { ...base, category: 'numeric-edited', digits, scale, signed, displayLength: length };
}

/**
 * One sign per picture: a single + or - at the left or right end, or one floating string of them
 * at the left (insertion characters , . B 0 / may interrupt it); not together with CR or DB.
 */
function checkSignSymbols(source: string, s: string, hasCrDb: boolean): void {
  const at = [...s].map((c, i) => (c === '+' || c === '-' ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) return;
  const bad = (why: string) => {
    throw new PictureError(`PIC ${source}: ${why}`);
  };
  if (hasCrDb) bad('a + or - sign cannot be combined with CR or DB');
  if (new Set(at.map((i) => s[i])).size > 1) bad('+ and - cannot both be sign symbols');
  if (at.length === 1) {
    if (at[0] !== 0 && at[0] !== s.length - 1) bad('the sign symbol must be at the left or right end');
    return;
  }
  const [first, last] = [at[0], at[at.length - 1]];
  const trailingSingle =
    last === s.length - 1 && at.length >= 2 && !/^[+\-,.B0/]*$/.test(s.slice(at[at.length - 2], last));
  const floatingEnd = trailingSingle ? at[at.length - 2] : last;
  if (first !== 0 && !/^[$]?$/.test(s.slice(0, first))) bad('a floating sign string must be at the left end');
  if (!/^[+\-,.B0/]*$/.test(s.slice(first, floatingEnd + 1)))
    bad('the sign symbols must form one floating string at the left');
  if (trailingSingle)
    bad(
      at.length === 2
        ? 'only one sign symbol is allowed (or one floating string of them at the left)'
        : 'a floating sign string and a sign at the right end cannot both be given',
    );
}
