/**
 * The translation of a java.util.regex pattern into JavaScript RegExp source: quoting, anchors,
 * POSIX classes, Unicode properties, escapes and leading embedded flags; constructs without a
 * JavaScript equivalent throw UnsupportedJavaRegexFeature (see `java-regex.ts`).
 */

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
const HSPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const VSPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
const CATEGORIES = new Set([
  'L',
  'Lu',
  'Ll',
  'Lt',
  'Lm',
  'Lo',
  'M',
  'Mn',
  'Mc',
  'Me',
  'N',
  'Nd',
  'Nl',
  'No',
  'P',
  'Pc',
  'Pd',
  'Ps',
  'Pe',
  'Pi',
  'Pf',
  'Po',
  'S',
  'Sm',
  'Sc',
  'Sk',
  'So',
  'Z',
  'Zs',
  'Zl',
  'Zp',
  'C',
  'Cc',
  'Cf',
  'Cs',
  'Co',
  'Cn',
]);
const BINARY: Record<string, string> = {
  alphabetic: 'Alphabetic',
  letter: 'L',
  digit: 'Nd',
  uppercase: 'Uppercase',
  lowercase: 'Lowercase',
  white_space: 'White_Space',
  whitespace: 'White_Space',
  punctuation: 'P',
  control: 'Cc',
  hex_digit: 'Hex_Digit',
  hexdigit: 'Hex_Digit',
  ideographic: 'Ideographic',
  titlecase: 'Lt',
  noncharacter_code_point: 'Noncharacter_Code_Point',
  assigned: 'Assigned',
  emoji: 'Emoji',
};
const JAVA_CHAR: Record<string, string> = {
  javaLowerCase: 'Lowercase',
  javaUpperCase: 'Uppercase',
  javaAlphabetic: 'Alphabetic',
  javaLetter: 'L',
  javaDigit: 'Nd',
  javaWhitespace: 'White_Space',
  javaTitleCase: 'Lt',
};

/** A Java construct JavaScript's RegExp cannot express. */
export class UnsupportedJavaRegexFeature extends Error {}

function hex4(cp: number): string {
  return `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A literal code point, safe inside or outside a character class, with or without the `u` flag. */
function literal(cp: number, state: { needU: boolean }): string {
  const ch = String.fromCodePoint(cp);
  if (/[A-Za-z0-9_ ]/.test(ch)) return ch;
  if (cp > 0xffff) {
    state.needU = true;
    return `\\u{${cp.toString(16).toUpperCase()}}`;
  }
  return hex4(cp);
}

/** A Java pattern as JavaScript RegExp source and flags, with its groups; throws UnsupportedJavaRegexFeature. */
export function translateJavaRegex(pattern: string): {
  js: string;
  flags: string;
  groupCount: number;
  groupNames: Map<string, number>;
} {
  const state = { needU: false };
  const flags = new Set<string>();
  const groupNames = new Map<string, number>();
  let groupCount = 0;
  let i = 0;
  // Embedded flags at the very start apply to the whole pattern, which is what JS flags can express.
  for (let m = /^\(\?([a-zA-Z]+)\)/.exec(pattern); m; m = /^\(\?([a-zA-Z]+)\)/.exec(pattern.slice(i))) {
    for (const f of m[1]) {
      if (f === 'i' || f === 's' || f === 'm') flags.add(f);
      else if (f === 'u' || f === 'U' || f === 'd') continue;
      else throw new UnsupportedJavaRegexFeature(`embedded flag (?${f}) is not supported`);
    }
    i += m[0].length;
  }
  let out = '';
  let inClass = false;
  const quantifierFollows = (at: number) => pattern[at] === '+';
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) throw new UnsupportedJavaRegexFeature('the pattern ends with an unescaped backslash');
      if (e === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const text = pattern.slice(i + 2, end < 0 ? pattern.length : end);
        for (const ch of text) out += literal(ch.codePointAt(0)!, state);
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      i += 2;
      if (/[1-9]/.test(e)) {
        out += `\\${e}`;
        continue;
      }
      switch (e) {
        case '0': {
          const m = /^[0-7]{1,3}/.exec(pattern.slice(i));
          if (!m) throw new UnsupportedJavaRegexFeature('illegal octal escape sequence \\0');
          let digits = m[0];
          if (digits.length === 3 && digits[0] > '3') digits = digits.slice(0, 2);
          out += literal(parseInt(digits, 8), state);
          i += digits.length;
          continue;
        }
        case 'x': {
          if (pattern[i] === '{') {
            const end = pattern.indexOf('}', i);
            if (end < 0) throw new UnsupportedJavaRegexFeature('unclosed hexadecimal escape sequence \\x{');
            out += literal(parseInt(pattern.slice(i + 1, end), 16), state);
            i = end + 1;
          } else {
            out += `\\x${pattern.slice(i, i + 2)}`;
            i += 2;
          }
          continue;
        }
        case 'u':
          out += `\\u${pattern.slice(i, i + 4)}`;
          i += 4;
          continue;
        case 'a':
          out += '\\x07';
          continue;
        case 'e':
          out += '\\x1B';
          continue;
        case 'c':
          out += `\\c${pattern[i]}`;
          i += 1;
          continue;
        case 't':
        case 'n':
        case 'r':
        case 'f':
        case 'd':
        case 'D':
        case 's':
        case 'S':
        case 'w':
        case 'W':
          out += `\\${e}`;
          continue;
        case 'b':
        case 'B':
          if (inClass) throw new UnsupportedJavaRegexFeature(`\\${e} inside a character class is not supported`);
          out += `\\${e}`;
          continue;
        case 'A':
          out += inClass ? unsupported('\\A inside a character class') : '^';
          continue;
        case 'z':
        case 'Z':
          out += inClass ? unsupported(`\\${e} inside a character class`) : '$';
          continue;
        case 'G':
          throw new UnsupportedJavaRegexFeature('\\G (end of the previous match) is not supported');
        case 'h':
          out += inClass ? HSPACE : `[${HSPACE}]`;
          continue;
        case 'H':
          out += inClass ? unsupported('\\H inside a character class') : `[^${HSPACE}]`;
          continue;
        case 'v':
          out += inClass ? VSPACE : `[${VSPACE}]`;
          continue;
        case 'V':
          out += inClass ? unsupported('\\V inside a character class') : `[^${VSPACE}]`;
          continue;
        case 'R':
          out += inClass ? unsupported('\\R inside a character class') : `(?:\\r\\n|[${VSPACE}])`;
          continue;
        case 'k': {
          const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(pattern.slice(i));
          if (!m) throw new UnsupportedJavaRegexFeature('\\k is not followed by <name>');
          out += `\\k<${m[1]}>`;
          i += m[0].length;
          continue;
        }
        case 'p':
        case 'P': {
          let name: string;
          if (pattern[i] === '{') {
            const end = pattern.indexOf('}', i);
            if (end < 0) throw new UnsupportedJavaRegexFeature(`unclosed character family \\${e}{`);
            name = pattern.slice(i + 1, end);
            i = end + 1;
          } else {
            name = pattern[i] ?? '';
            i += 1;
          }
          out += property(name, e === 'P', inClass, state);
          continue;
        }
        default:
          if (/[A-Za-z]/.test(e)) throw new UnsupportedJavaRegexFeature(`illegal/unsupported escape sequence \\${e}`);
          out += literal(e.codePointAt(0)!, state);
          if (e.codePointAt(0)! > 0xffff) i += 1;
          continue;
      }
    }
    if (inClass) {
      if (c === '[')
        throw new UnsupportedJavaRegexFeature(
          'nested character classes (class union, e.g. [a-d[m-p]]) are not supported',
        );
      if (c === '&' && pattern[i + 1] === '&')
        throw new UnsupportedJavaRegexFeature('character class intersection (&&) is not supported');
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += '[';
        i++;
        if (pattern[i] === '^') {
          out += '^';
          i++;
        }
        continue;
      case '(': {
        const rest = pattern.slice(i);
        if (rest.startsWith('(?')) {
          const named = /^\(\?<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
          if (named) {
            groupCount++;
            groupNames.set(named[1], groupCount);
            out += named[0];
            i += named[0].length;
          } else if (/^\(\?(:|=|!|<=|<!)/.test(rest)) {
            const m = /^\(\?(:|=|!|<=|<!)/.exec(rest)!;
            out += m[0];
            i += m[0].length;
          } else if (rest.startsWith('(?>')) {
            throw new UnsupportedJavaRegexFeature('atomic groups (?>…) are not supported');
          } else {
            throw new UnsupportedJavaRegexFeature(
              'embedded flags are only supported at the start of the pattern, e.g. (?i)abc',
            );
          }
        } else {
          groupCount++;
          out += '(';
          i++;
        }
        continue;
      }
      case '*':
      case '+':
      case '?':
        out += c;
        i++;
        if (quantifierFollows(i)) throw new UnsupportedJavaRegexFeature(`possessive quantifier ${c}+ is not supported`);
        continue;
      case '{': {
        const m = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
        if (!m) throw new UnsupportedJavaRegexFeature(`illegal repetition near index ${i}`);
        out += m[0];
        i += m[0].length;
        if (quantifierFollows(i))
          throw new UnsupportedJavaRegexFeature(`possessive quantifier ${m[0]}+ is not supported`);
        continue;
      }
      case ']':
      case '}':
        out += `\\${c}`;
        i++;
        continue;
      default: {
        const cp = pattern.codePointAt(i)!;
        out += cp > 0xffff ? literal(cp, state) : c;
        i += cp > 0xffff ? 2 : 1;
      }
    }
  }
  if (inClass) throw new UnsupportedJavaRegexFeature('unclosed character class');
  if (state.needU) flags.add('u');
  return { js: out, flags: [...flags].sort().join(''), groupCount, groupNames };
}

function unsupported(what: string): never {
  throw new UnsupportedJavaRegexFeature(`${what} is not supported`);
}

function property(name: string, negated: boolean, inClass: boolean, state: { needU: boolean }): string {
  const posix = POSIX[name];
  if (posix !== undefined) {
    if (negated) return inClass ? unsupported(`\\P{${name}} inside a character class`) : `[^${posix}]`;
    return inClass ? posix : `[${posix}]`;
  }
  let prop: string | undefined = JAVA_CHAR[name];
  if (!prop) {
    const bare = name.startsWith('Is') ? name.slice(2) : name.replace(/^(general_category|gc)=/i, '');
    if (CATEGORIES.has(bare)) prop = bare;
    else if (BINARY[bare.toLowerCase()]) prop = BINARY[bare.toLowerCase()];
    else if (name.startsWith('Is') || /^(script|sc)=/i.test(name))
      prop = `Script=${bare.replace(/^(script|sc)=/i, '')}`;
    else if (name.startsWith('In') || /^(block|blk)=/i.test(name))
      throw new UnsupportedJavaRegexFeature(`Unicode blocks (\\p{${name}}) are not supported`);
  }
  if (!prop) throw new UnsupportedJavaRegexFeature(`unknown character property \\p{${name}}`);
  state.needU = true;
  return `\\${negated ? 'P' : 'p'}{${prop}}`;
}
