/** Config keys and validators shared by the transforms, with Kafka Connect's error messages. */
import { ConfigException } from '../../sdk/errors.ts';
import type { ConfigKeyInit, Validator } from '../../sdk/config.ts';
import { compileJavaRegex } from '../../sdk/java-regex.ts';

export const REPLACE_NULL_WITH_DEFAULT = 'replace.null.with.default';

export function replaceNullWithDefaultKey(): ConfigKeyInit {
  return {
    name: REPLACE_NULL_WITH_DEFAULT,
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
  };
}

/** Java's List#toString, as ConfigException messages print list values. */
export function javaList(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

export function invalid(name: string, value: unknown, message: string): ConfigException {
  const shown = Array.isArray(value)
    ? javaList(value as string[])
    : value === null || value === undefined
      ? 'null'
      : String(value);
  return new ConfigException(`Invalid value ${shown} for configuration ${name}: ${message}`, { key: name });
}

export const SmtValidators = {
  /** NonEmptyListValidator. */
  nonEmptyList(): Validator {
    return {
      description: 'non-empty list',
      ensureValid(name, value) {
        if (!Array.isArray(value) || value.length === 0) throw invalid(name, value ?? [], 'Empty list');
      },
    };
  },
  /** ConfigDef.ValidString.in: exact (case-sensitive) match. */
  validString(...allowed: string[]): Validator {
    return {
      description: `[${allowed.join(', ')}]`,
      ensureValid(name, value) {
        if (!allowed.includes(String(value)))
          throw invalid(name, value, `String must be one of: ${allowed.join(', ')}`);
      },
    };
  },
  /** ConfigDef.CaseInsensitiveValidString.in. */
  caseInsensitiveValidString(...allowed: string[]): Validator {
    return {
      description: `(case insensitive) [${allowed.join(', ')}]`,
      ensureValid(name, value) {
        if (!allowed.some((a) => a.toUpperCase() === String(value).toUpperCase())) {
          throw invalid(name, value, `String must be one of (case insensitive): ${allowed.join(', ')}`);
        }
      },
    };
  },
  /** ConfigDef.NonEmptyString. */
  nonEmptyString(): Validator {
    return {
      description: 'non-empty string',
      ensureValid(name, value) {
        if (typeof value !== 'string' || value === '') throw invalid(name, value ?? '', 'String must be non-empty');
      },
    };
  },
  /** RegexValidator: a Java regular expression Tributary can run. */
  javaRegex(): Validator {
    return {
      description: 'valid regex',
      ensureValid(name, value) {
        compileJavaRegex(String(value), name);
      },
    };
  },
};
