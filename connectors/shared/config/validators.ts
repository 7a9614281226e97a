/** Config validators shared by the relational connectors (each names the key, the value and the fix). */
import type { Validator } from '../../../sdk/config.ts';
import { ConfigException } from '../../../sdk/errors.ts';
import { namePatterns } from '../name-patterns.ts';

const invalid = (name: string, value: unknown, why: string): ConfigException =>
  new ConfigException(`Invalid value ${String(value)} for configuration ${name}: ${why}`, { key: name });

/**
 * Accepts only the listed values (trimmed, case-insensitive, as Debezium's enum fields); a value in
 * `unsupported` is refused with its own reason, any other with the list. An unset value passes.
 */
export function oneOf(supported: readonly string[], unsupported: Readonly<Record<string, string>> = {}): Validator {
  return {
    description: `[${supported.join(', ')}]`,
    ensureValid(name, value) {
      if (value === null || value === undefined) return;
      const v = String(value).trim().toLowerCase();
      if (supported.includes(v)) return;
      throw invalid(name, value, unsupported[v] ?? `must be one of ${supported.join(', ')}`);
    },
  };
}

/** Accepts only one value (a Debezium key whose other values are not implemented). */
export function mustBe(expected: unknown, why: string): Validator {
  return {
    description: String(expected),
    ensureValid(name, value) {
      if (value !== expected) throw invalid(name, value, why);
    },
  };
}

/** Refuses true (a Debezium boolean whose true is not implemented). */
export function notTrue(fix: string): Validator {
  return {
    description: 'false',
    ensureValid(name, value) {
      if (value === true || String(value).toLowerCase() === 'true') throw invalid(name, value, fix);
    },
  };
}

/** A list of Java regular expressions, as Debezium's Field::isListOfRegex. */
export const regexList: Validator = {
  description: 'comma-separated Java regular expressions',
  ensureValid(name, value) {
    namePatterns(value as string[] | null, name);
  },
};

/** `<first>.<second>`: a table named with its database (MySQL) or schema (PostgreSQL). */
export function twoPartName(shape: string): Validator {
  return {
    description: shape,
    ensureValid(name, value) {
      if (value === null || value === undefined) return;
      if (!/^[^.]+\.[^.]+$/.test(String(value))) throw invalid(name, value, `give the table as ${shape}`);
    },
  };
}
