/**
 * java.util.regex patterns and Matcher replacement strings, run on JavaScript's RegExp.
 *
 * Connector configs are written for Java, so a pattern is translated, not passed through: `\Q…\E`
 * quoting, `\A` `\z` `\Z` anchors, `\h` `\v` `\R`, POSIX classes (`\p{Alpha}` …), Unicode
 * properties (`\p{L}`, `\p{IsLatin}`), octal and `\x{…}` escapes and leading embedded flags
 * (`(?i)`, `(?s)`, `(?m)`) become their JavaScript equivalents. Java features JavaScript cannot
 * express (possessive quantifiers, atomic groups, class union/intersection, embedded flags in the
 * middle of a pattern, `\G`, Unicode blocks) are refused with a ConfigException naming the
 * construct, never silently reinterpreted.
 *
 * Replacement strings follow Matcher.appendReplacement: `$n` (greedy digits while the group
 * exists), `${name}`, `\` escapes the next character; a reference to a missing group is refused
 * when the config is parsed.
 */
import { ConfigException } from '../runtime/errors.ts';

export interface JavaPattern {
  /** The Java source pattern. */
  readonly source: string;
  /** The translated JavaScript source. */
  readonly js: string;
  readonly flags: string;
  readonly groupCount: number;
  /** Named group → group number. */
  readonly groupNames: ReadonlyMap<string, number>;
  /** Matcher#matches: the whole input. */
  matches(input: string): boolean;
  /** The first match (Matcher#find from the start), or null. */
  find(input: string): RegExpExecArray | null;
  /** Matcher#replaceFirst. */
  replaceFirst(input: string, replacement: JavaReplacement): string;
  /** Matcher#replaceAll. */
  replaceAll(input: string, replacement: JavaReplacement): string;
}

export type ReplacementPart = string | number;

export interface JavaReplacement {
  readonly source: string;
  readonly parts: readonly ReplacementPart[];
}

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

class Unsupported extends Error {}

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

function translate(pattern: string): {
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
      else throw new Unsupported(`embedded flag (?${f}) is not supported`);
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
      if (e === undefined) throw new Unsupported('the pattern ends with an unescaped backslash');
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
          if (!m) throw new Unsupported('illegal octal escape sequence \\0');
          let digits = m[0];
          if (digits.length === 3 && digits[0] > '3') digits = digits.slice(0, 2);
          out += literal(parseInt(digits, 8), state);
          i += digits.length;
          continue;
        }
        case 'x': {
          if (pattern[i] === '{') {
            const end = pattern.indexOf('}', i);
            if (end < 0) throw new Unsupported('unclosed hexadecimal escape sequence \\x{');
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
          if (inClass) throw new Unsupported(`\\${e} inside a character class is not supported`);
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
          throw new Unsupported('\\G (end of the previous match) is not supported');
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
          if (!m) throw new Unsupported('\\k is not followed by <name>');
          out += `\\k<${m[1]}>`;
          i += m[0].length;
          continue;
        }
        case 'p':
        case 'P': {
          let name: string;
          if (pattern[i] === '{') {
            const end = pattern.indexOf('}', i);
            if (end < 0) throw new Unsupported(`unclosed character family \\${e}{`);
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
          if (/[A-Za-z]/.test(e)) throw new Unsupported(`illegal/unsupported escape sequence \\${e}`);
          out += literal(e.codePointAt(0)!, state);
          if (e.codePointAt(0)! > 0xffff) i += 1;
          continue;
      }
    }
    if (inClass) {
      if (c === '[') throw new Unsupported('nested character classes (class union, e.g. [a-d[m-p]]) are not supported');
      if (c === '&' && pattern[i + 1] === '&')
        throw new Unsupported('character class intersection (&&) is not supported');
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
            throw new Unsupported('atomic groups (?>…) are not supported');
          } else {
            throw new Unsupported('embedded flags are only supported at the start of the pattern, e.g. (?i)abc');
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
        if (quantifierFollows(i)) throw new Unsupported(`possessive quantifier ${c}+ is not supported`);
        continue;
      case '{': {
        const m = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
        if (!m) throw new Unsupported(`illegal repetition near index ${i}`);
        out += m[0];
        i += m[0].length;
        if (quantifierFollows(i)) throw new Unsupported(`possessive quantifier ${m[0]}+ is not supported`);
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
  if (inClass) throw new Unsupported('unclosed character class');
  if (state.needU) flags.add('u');
  return { js: out, flags: [...flags].sort().join(''), groupCount, groupNames };
}

function unsupported(what: string): never {
  throw new Unsupported(`${what} is not supported`);
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
      throw new Unsupported(`Unicode blocks (\\p{${name}}) are not supported`);
  }
  if (!prop) throw new Unsupported(`unknown character property \\p{${name}}`);
  state.needU = true;
  return `\\${negated ? 'P' : 'p'}{${prop}}`;
}

const cache = new Map<string, JavaPattern>();

/** Compiles a Java regex; `key` names the config key in the ConfigException when it cannot be run. */
export function compileJavaRegex(pattern: string, key = 'regex'): JavaPattern {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let t: ReturnType<typeof translate>;
  let full: RegExp;
  let find: RegExp;
  let all: RegExp;
  try {
    t = translate(pattern);
    find = new RegExp(t.js, t.flags);
    full = new RegExp(`^(?:${t.js})$`, t.flags);
    all = new RegExp(t.js, `${t.flags}g`);
  } catch (err) {
    const why =
      err instanceof Unsupported
        ? `${err.message} (Java regex feature without a JavaScript equivalent)`
        : (err as Error).message;
    throw new ConfigException(`Invalid value ${pattern} for configuration ${key}: Invalid regex: ${why}`, {
      key,
      cause: err,
    });
  }
  const compiled: JavaPattern = {
    source: pattern,
    js: t.js,
    flags: t.flags,
    groupCount: t.groupCount,
    groupNames: t.groupNames,
    matches: (input) => full.test(input),
    find: (input) => {
      find.lastIndex = 0;
      return find.exec(input);
    },
    replaceFirst: (input, replacement) => {
      find.lastIndex = 0;
      const m = find.exec(input);
      if (!m) return input;
      return input.slice(0, m.index) + expand(replacement, m) + input.slice(m.index + m[0].length);
    },
    replaceAll: (input, replacement) =>
      input.replace(all, (...args: unknown[]) => expand(replacement, args.slice(0, t.groupCount + 1) as string[])),
  };
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

function expand(replacement: JavaReplacement, groups: ArrayLike<string | undefined>): string {
  let out = '';
  for (const p of replacement.parts) out += typeof p === 'string' ? p : (groups[p] ?? '');
  return out;
}

/** Parses a Matcher replacement string against a compiled pattern; `key` names the config key in errors. */
export function compileJavaReplacement(
  replacement: string,
  pattern: JavaPattern,
  key = 'replacement',
): JavaReplacement {
  const fail = (msg: string): never => {
    throw new ConfigException(`Invalid value ${replacement} for configuration ${key}: ${msg}`, { key });
  };
  const parts: ReplacementPart[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push(text);
    text = '';
  };
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i >= replacement.length) fail('character to be escaped is missing');
      text += replacement[i];
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) fail('Illegal group reference: group index is missing');
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        if (end < 0) fail("named capturing group is missing trailing '}'");
        const name = replacement.slice(i + 1, end);
        if (name === '') fail('named capturing group has 0 length name');
        if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) fail(`named capturing group <${name}> is not a valid group name`);
        const n = pattern.groupNames.get(name);
        if (n === undefined) fail(`No group with name {${name}} in regex ${pattern.source}`);
        flush();
        parts.push(n!);
        i = end;
      } else if (/[0-9]/.test(replacement[i])) {
        let ref = Number(replacement[i]);
        if (ref > pattern.groupCount)
          fail(
            `No group ${ref} in regex ${pattern.source} (it has ${pattern.groupCount} group${pattern.groupCount === 1 ? '' : 's'})`,
          );
        while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1])) {
          const next = ref * 10 + Number(replacement[i + 1]);
          if (next > pattern.groupCount) break;
          ref = next;
          i++;
        }
        flush();
        parts.push(ref);
      } else {
        fail('Illegal group reference');
      }
    } else {
      text += c;
    }
  }
  flush();
  return { source: replacement, parts };
}
