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
import { UnsupportedJavaRegexFeature, translateJavaRegex } from './java-regex-translation.ts';

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

const cache = new Map<string, JavaPattern>();

/** Compiles a Java regex; `key` names the config key in the ConfigException when it cannot be run. */
export function compileJavaRegex(pattern: string, key = 'regex'): JavaPattern {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let t: ReturnType<typeof translateJavaRegex>;
  let full: RegExp;
  let find: RegExp;
  let all: RegExp;
  try {
    t = translateJavaRegex(pattern);
    find = new RegExp(t.js, t.flags);
    full = new RegExp(`^(?:${t.js})$`, t.flags);
    all = new RegExp(t.js, `${t.flags}g`);
  } catch (err) {
    const why =
      err instanceof UnsupportedJavaRegexFeature
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
