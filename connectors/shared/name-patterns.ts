/**
 * Debezium's include/exclude lists (Predicates.includes / excludes): each entry a Java regular
 * expression (java.util.regex, run by the SDK's emulation: `(?i)`, `\Q…\E`, POSIX classes …),
 * compiled case-insensitively and matched against the whole identifier (Matcher#matches).
 */
import { compileJavaRegex } from '../../sdk/java-regex.ts';

/** One list entry, matched against a whole name. */
export interface NamePattern {
  /** The entry as configured. */
  readonly source: string;
  test(name: string): boolean;
}

/** Compiles one Java regex as Debezium's filters do (CASE_INSENSITIVE, full match); `key` names the config key in errors. */
export function namePattern(pattern: string, key: string): NamePattern {
  const p = compileJavaRegex(pattern, key);
  const full = new RegExp(`^(?:${p.js})$`, p.flags.includes('i') ? p.flags : `${p.flags}i`);
  return { source: pattern, test: (name) => full.test(name) };
}

/**
 * A comma-separated regex list split as Debezium's Strings.RegExSplitter: at commas not escaped
 * by a backslash, each part trimmed, `\,` then read as a plain comma; empty parts dropped.
 */
export function splitRegexList(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === ',') {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts.map((p) => p.trim().replaceAll('\\,', ',')).filter((p) => p !== '');
}

/**
 * The entries of a list key, each a {@link namePattern}. The config layer has already split the
 * value at every comma; the parts are joined back and split as Debezium does, so `\,` stays in one regex.
 */
export function namePatterns(list: readonly string[] | null | undefined, key: string): NamePattern[] {
  return splitRegexList((list ?? []).join(',')).map((p) => namePattern(p, key));
}

/** Whether a name passes an include list (when not empty) and an exclude list. */
export function passesLists(
  include: readonly NamePattern[] | null,
  exclude: readonly NamePattern[] | null,
  name: string,
): boolean {
  if (include && include.length > 0) return include.some((p) => p.test(name));
  return !(exclude ?? []).some((p) => p.test(name));
}
