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

/** The entries of a list key (blank ones dropped), each a {@link namePattern}. */
export function namePatterns(list: readonly string[] | null | undefined, key: string): NamePattern[] {
  return (list ?? []).filter((p) => p.trim() !== '').map((p) => namePattern(p, key));
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
