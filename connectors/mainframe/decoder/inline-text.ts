/**
 * Source text of the single-byte text fields with a fast decoder (fast-fields.ts's text form), for
 * the generated record functions: the same steps as the field's fast decoder (trim, compare with
 * the field's last value, else one string of the trimmed bytes) with no call for a repeated value.
 * The text holds only numbers and the generated function's own names, never text from the copybook.
 * The statements set `x` (undefined where the exact decoder must decide: a blank field); they read
 * `buf`, the per-field tables `TC` (character codes), `TP` (pad bytes), `TL` (last values, written),
 * and `ST` (fast-fields.ts's shortText) or `MT` (makeText).
 */
import { SHORT_TEXT, type TextForm } from './fast-fields.ts';

/** Statements setting `x` for the text field of `form` at `base + rel`; `k`: its index in TC, TP and TL. */
export function inlineText(form: TextForm, k: number, base: string, rel: number): string {
  const make = form.len <= SHORT_TEXT ? `ST[n](c, buf, a)` : `MT(c, buf, a, n)`;
  return [
    '{',
    `let a = ${base} + ${rel}, e = a + ${form.len};`,
    `const p = TP[${k}], c = TC[${k}];`,
    form.right ? 'while (e > a && p[buf[e - 1]] === 1) e--;' : '',
    form.left ? 'while (a < e && p[buf[a]] === 1) a++;' : '',
    'if (a === e) x = undefined;',
    'else {',
    'const n = e - a;',
    `const s = TL[${k}];`,
    'let i = -2;',
    // from the end: numbered values (NAME 1001, NAME 1002) differ there
    'if (n === s.length) { i = n - 1; while (i >= 0 && s.charCodeAt(i) === c[buf[a + i]]) i--; }',
    `x = i === -1 ? s : (TL[${k}] = ${make});`,
    '}',
    '}',
  ].join('\n');
}
