/**
 * Source text of the number fields of a common form (fast-fields.ts's numberForm), for the
 * generated record functions: the bytes read at constant offsets, unrolled, every digit position
 * checked, the value built as a JS number with no call, string or loop. The text holds only numbers
 * and the names of the generated function's own variables, never text from the copybook.
 * Statements that set `v` to the unscaled value, or to NaN where the exact decoder must decide
 * (invalid data, an empty field, a sign the form does not take); they read `buf` and the tables
 * `P` (PACKED_PAIR) and `Z` (ZONED_DIGIT), and write `v` and `b`.
 */
import type { NumberForm } from './fast-fields.ts';

/** 0-9 for an EBCDIC zoned digit byte F0-F9, -1 otherwise. */
export const ZONED_DIGIT = Int8Array.from({ length: 256 }, (_, b) => (b >= 0xf0 && b <= 0xf9 ? b - 0xf0 : -1));

/** The variables the statements use, declared once at the top of the generated function. */
export const INLINE_VARIABLES = 'let v = 0, b = 0;';

/** Statements setting `v` for the field of `form` whose bytes start at `base + rel` (`base`: a variable of the generated function). */
export function inlineNumber(form: NumberForm, base: string, rel: number): string {
  const byte = (k: number) => `buf[${base} + ${rel + k}]`;
  const { len, signed } = form;
  if (form.kind === 'binary') {
    const expr =
      len === 2
        ? signed
          ? `((${byte(0)} << 24) >> 16) | ${byte(1)}`
          : `(${byte(0)} << 8) | ${byte(1)}`
        : `(${byte(0)} << 24) | (${byte(1)} << 16) | (${byte(2)} << 8) | ${byte(3)}`;
    return `v = ${len === 4 && !signed ? `(${expr}) >>> 0` : expr};`;
  }
  const lines: string[] = ['{'];
  const leading = len - 1;
  const table = form.kind === 'packed' ? 'P' : 'Z';
  const names = Array.from({ length: leading }, (_, k) => `d${k}`);
  if (leading > 0) lines.push(`const ${names.map((d, k) => `${d} = ${table}[${byte(k)}]`).join(', ')};`);
  lines.push(`b = ${byte(len - 1)};`, 'v = NaN;');
  const radix = form.kind === 'packed' ? 100 : 10;
  // (((d0 * radix + d1) * radix + d2) ...) * 10 + last digit; exact: at most 15 digits
  let acc = names.length > 0 ? names[0] : '';
  for (let k = 1; k < names.length; k++) acc = `(${acc}) * ${radix} + ${names[k]}`;
  const checks = leading > 0 ? [`(${names.join(' | ')}) >= 0`] : [];
  if (form.kind === 'packed') {
    // the last byte: a digit in the high nibble, the sign in the low one (C, F; D when signed)
    checks.push('b < 0xa0');
    const signOk = signed ? '(b & 15) >= 0x0c && (b & 15) !== 0x0e' : '((b & 15) === 0x0c || (b & 15) === 0x0f)';
    const value = acc === '' ? 'b >> 4' : `(${acc}) * 10 + (b >> 4)`;
    lines.push(`if (${checks.join(' && ')} && ${signOk}) {`, `v = ${value};`);
    if (signed) lines.push('if ((b & 15) === 0x0d && v !== 0) v = -v;');
  } else {
    // the last byte: a digit in the low nibble, the sign in the zone (F; C, D when signed)
    checks.push('(b & 15) <= 9');
    const signOk = signed ? '(b >> 4) >= 0x0c && (b >> 4) !== 0x0e' : '(b >> 4) === 0x0f';
    const value = acc === '' ? 'b & 15' : `(${acc}) * 10 + (b & 15)`;
    lines.push(`if (${checks.join(' && ')} && ${signOk}) {`, `v = ${value};`);
    if (signed) lines.push('if ((b >> 4) === 0x0d && v !== 0) v = -v;');
  }
  lines.push('}', '}');
  return lines.join('\n');
}
