/**
 * Kafka Connect's ConfigDef: typed keys with defaults, importance, docs, validators, groups and
 * the PASSWORD type. One definition drives parsing, `/config/validate`, the plugin config listing
 * and secret masking.
 */
import { ConfigException } from '../errors.ts';

/** The type of a configuration key's value, as Kafka's ConfigDef.Type; PASSWORD values are masked in listings and logs. */
export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';
/** How much a key matters to users, as Kafka's ConfigDef.Importance (listings sort by it). */
export type Importance = 'HIGH' | 'MEDIUM' | 'LOW';
/** The display width hint of a key, as Kafka's ConfigDef.Width. */
export type Width = 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';

/** Marks a key as required: it has no default. */
export const NO_DEFAULT = Symbol('NO_DEFAULT');

/** A secret: printed as `[hidden]` so it never reaches logs or REST bodies by accident. */
export class Password {
  static readonly HIDDEN = '[hidden]';
  constructor(readonly value: string) {}
  toString(): string {
    return Password.HIDDEN;
  }
  toJSON(): string {
    return Password.HIDDEN;
  }
}

/** Checks a parsed value; throws a ConfigException naming the key, the value and what is allowed. */
export interface Validator {
  /** Throws ConfigException with a message naming the fix when `value` (already parsed) is invalid. */
  ensureValid(name: string, value: unknown): void;
  /** Human description for docs, e.g. `[1,...]`. */
  readonly description?: string;
}

/** Computes the recommended values and the visibility of a key from the other parsed values (shown by /config/validate). */
export interface Recommender {
  validValues(name: string, parsed: Record<string, unknown>): unknown[];
  visible(name: string, parsed: Record<string, unknown>): boolean;
}

/** The definition of one configuration key, given to ConfigDef.define(). */
export interface ConfigKeyInit {
  name: string;
  type: ConfigType;
  /** Omit or use NO_DEFAULT for a required key. */
  defaultValue?: unknown;
  importance: Importance;
  documentation: string;
  validator?: Validator;
  group?: string;
  orderInGroup?: number;
  width?: Width;
  displayName?: string;
  dependents?: string[];
  recommender?: Recommender;
  /** Kept for docs: key names this key replaced. */
  deprecatedAliases?: string[];
}

/** A defined key, with its defaults filled in. */
export interface ConfigKey extends Required<
  Omit<ConfigKeyInit, 'validator' | 'group' | 'recommender' | 'deprecatedAliases'>
> {
  validator: Validator | undefined;
  group: string | undefined;
  recommender: Recommender | undefined;
  deprecatedAliases: string[];
}

/** The validation result of one key, as returned per key by /config/validate. */
export interface ConfigValue {
  name: string;
  value: unknown;
  recommendedValues: unknown[];
  errorMessages: string[];
  visible: boolean;
}

/** The keys a plugin understands (Kafka's ConfigDef): types, defaults, validators, documentation and groups. It drives validation, `/config/validate`, the configuration listing and secret masking. */
export class ConfigDef {
  private readonly keyMap = new Map<string, ConfigKey>();
  private readonly groupList: string[] = [];

  define(init: ConfigKeyInit): this {
    if (this.keyMap.has(init.name)) throw new ConfigException(`Configuration ${init.name} is defined twice.`);
    const defaultValue = init.defaultValue === undefined ? NO_DEFAULT : init.defaultValue;
    const key: ConfigKey = {
      name: init.name,
      type: init.type,
      defaultValue:
        defaultValue === NO_DEFAULT || defaultValue === null
          ? defaultValue
          : parseType(init.name, defaultValue, init.type),
      importance: init.importance,
      documentation: init.documentation,
      validator: init.validator,
      group: init.group,
      orderInGroup: init.orderInGroup ?? -1,
      width: init.width ?? 'NONE',
      displayName: init.displayName ?? init.name,
      dependents: init.dependents ?? [],
      recommender: init.recommender,
      deprecatedAliases: init.deprecatedAliases ?? [],
    };
    if (key.validator && key.defaultValue !== NO_DEFAULT && key.defaultValue !== null)
      key.validator.ensureValid(key.name, key.defaultValue);
    if (key.group && !this.groupList.includes(key.group)) this.groupList.push(key.group);
    this.keyMap.set(key.name, key);
    return this;
  }

  /** Adds every key of another definition (e.g. the common connector keys). */
  merge(other: ConfigDef): this {
    for (const key of other.keyMap.values())
      if (!this.keyMap.has(key.name)) {
        this.keyMap.set(key.name, key);
        if (key.group && !this.groupList.includes(key.group)) this.groupList.push(key.group);
      }
    return this;
  }

  get keys(): ReadonlyMap<string, ConfigKey> {
    return this.keyMap;
  }
  get groups(): readonly string[] {
    return this.groupList;
  }
  names(): string[] {
    return [...this.keyMap.keys()];
  }

  /** Parses every defined key, applying defaults; throws one ConfigException listing every problem. */
  parse(props: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    const errors: string[] = [];
    for (const key of this.keyMap.values()) {
      try {
        values[key.name] = this.parseKey(key, props[key.name]);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    if (errors.length === 1) throw new ConfigException(errors[0]);
    if (errors.length > 1) throw new ConfigException(errors.join('\n'));
    return values;
  }

  /** Validates without throwing: one ConfigValue per key with its error messages (drives /config/validate). */
  validate(props: Readonly<Record<string, string | undefined>>): ConfigValue[] {
    const parsed: Record<string, unknown> = {};
    const result = new Map<string, ConfigValue>();
    for (const key of this.keyMap.values()) {
      const cv: ConfigValue = {
        name: key.name,
        value: props[key.name] ?? null,
        recommendedValues: [],
        errorMessages: [],
        visible: true,
      };
      try {
        parsed[key.name] = this.parseKey(key, props[key.name]);
        cv.value = parsed[key.name];
      } catch (err) {
        cv.errorMessages.push((err as Error).message);
      }
      result.set(key.name, cv);
    }
    for (const key of this.keyMap.values()) {
      if (!key.recommender) continue;
      const cv = result.get(key.name)!;
      cv.recommendedValues = key.recommender.validValues(key.name, parsed);
      cv.visible = key.recommender.visible(key.name, parsed);
    }
    return [...result.values()];
  }

  private parseKey(key: ConfigKey, raw: string | undefined): unknown {
    let value: unknown;
    if (raw === undefined || raw === null) {
      if (key.defaultValue === NO_DEFAULT) {
        throw new ConfigException(
          `Missing required configuration "${key.name}" which has no default value. ${key.documentation}`.trim(),
          { key: key.name },
        );
      }
      value = key.defaultValue;
    } else {
      value = parseType(key.name, raw, key.type);
    }
    if (key.validator && value !== null) key.validator.ensureValid(key.name, value);
    return value;
  }
}

const WHOLE_NUMBER = {
  INT: 'a whole number from -2147483648 to 2147483647',
  SHORT: 'a whole number from -32768 to 32767',
  LONG: 'a whole number, without decimals or units',
};

function parseType(name: string, value: unknown, type: ConfigType): unknown {
  const bad = (expected: string): never => {
    throw new ConfigException(`Invalid value ${String(value)} for configuration ${name}: ${expected}`, { key: name });
  };
  const text = typeof value === 'string' ? value.trim() : value;
  switch (type) {
    case 'BOOLEAN':
      if (typeof text === 'boolean') return text;
      if (typeof text === 'string' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      return bad('Expected value to be either true or false');
    case 'STRING':
    case 'CLASS':
      if (typeof value === 'string') return type === 'CLASS' ? value.trim() : value;
      return bad('Expected value to be a string');
    case 'PASSWORD':
      if (value instanceof Password) return value;
      if (typeof value === 'string') return new Password(value);
      return bad('Expected value to be a string');
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      const n =
        typeof text === 'number' ? text : typeof text === 'string' && /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) return bad(`Not a number of type ${type} (expected ${WHOLE_NUMBER[type]})`);
      if (type === 'INT' && (n < -2147483648 || n > 2147483647))
        return bad(`Not a number of type INT (expected ${WHOLE_NUMBER.INT})`);
      if (type === 'SHORT' && (n < -32768 || n > 32767))
        return bad(`Not a number of type SHORT (expected ${WHOLE_NUMBER.SHORT})`);
      return n;
    }
    case 'DOUBLE': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
      if (Number.isNaN(n)) return bad('Not a number of type DOUBLE (expected a number such as 0.5)');
      return n;
    }
    case 'LIST':
      if (Array.isArray(value)) return value.map(String);
      if (typeof text === 'string')
        return text === '' ? [] : text.split(/\s*,\s*/).filter((s, i, all) => s !== '' || all.length > 1);
      return bad('Expected a comma separated list.');
  }
}

// ---- validators ------------------------------------------------------------------------

/** Ready-made validators: ranges, allowed values, non-empty strings, lists, regular expressions; `compose` chains them. */
export const Validators = {
  atLeast(min: number): Validator {
    return {
      description: `[${min},...]`,
      ensureValid(name, value) {
        if (typeof value === 'number' && value < min)
          throw new ConfigException(`Invalid value ${value} for configuration ${name}: Value must be at least ${min}`, {
            key: name,
          });
      },
    };
  },
  between(min: number, max: number): Validator {
    return {
      description: `[${min},...,${max}]`,
      ensureValid(name, value) {
        if (typeof value === 'number' && (value < min || value > max)) {
          throw new ConfigException(
            `Invalid value ${value} for configuration ${name}: Value must be between ${min} and ${max}`,
            { key: name },
          );
        }
      },
    };
  },
  in(...allowed: string[]): Validator {
    return {
      description: `[${allowed.join(', ')}]`,
      ensureValid(name, value) {
        if (!allowed.some((a) => a.toLowerCase() === String(value).toLowerCase())) {
          throw new ConfigException(
            `Invalid value ${String(value)} for configuration ${name}: String must be one of: ${allowed.join(', ')}`,
            { key: name },
          );
        }
      },
    };
  },
  nonEmptyString(): Validator {
    return {
      description: 'non-empty string',
      ensureValid(name, value) {
        if (typeof value !== 'string' || value.trim() === '')
          throw new ConfigException(
            `Invalid value "${String(value ?? '')}" for configuration ${name}: String must be non-empty`,
            { key: name },
          );
      },
    };
  },
  nonEmptyStringWithoutControlChars(): Validator {
    return {
      description: 'non-empty string without ISO control characters',
      ensureValid(name, value) {
        const s = String(value ?? '');
        if (s.trim() === '')
          throw new ConfigException(
            `Invalid value "${s}" for configuration ${name}: String may not be empty (expected a non-empty string)`,
            { key: name },
          );
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f\u007f-\u009f]/.test(s))
          throw new ConfigException(
            `Invalid value ${s} for configuration ${name}: String may not contain control sequences`,
            { key: name },
          );
      },
    };
  },
  listOf(...allowed: string[]): Validator {
    return {
      description: `[${allowed.join(', ')}]`,
      ensureValid(name, value) {
        for (const v of value as string[]) {
          if (!allowed.includes(v))
            throw new ConfigException(
              `Invalid value ${v} for configuration ${name}: items must be among: ${allowed.join(', ')}`,
              { key: name },
            );
        }
      },
    };
  },
  regex(): Validator {
    return {
      description: 'valid regular expression',
      ensureValid(name, value) {
        try {
          new RegExp(String(value));
        } catch (err) {
          throw new ConfigException(
            `Invalid value ${String(value)} for configuration ${name}: not a valid regular expression (${(err as Error).message})`,
            { key: name },
          );
        }
      },
    };
  },
  compose(...validators: Validator[]): Validator {
    return {
      description: validators
        .map((v) => v.description)
        .filter(Boolean)
        .join(', '),
      ensureValid(name, value) {
        for (const v of validators) v.ensureValid(name, value);
      },
    };
  },
};

/** Typed read access to parsed config values, plus the raw originals (AbstractConfig). */
export class ParsedConfig {
  readonly values: Readonly<Record<string, unknown>>;

  constructor(
    readonly def: ConfigDef,
    readonly originals: Readonly<Record<string, string>>,
  ) {
    this.values = Object.freeze(def.parse(originals));
  }

  private get(name: string): unknown {
    if (!(name in this.values)) throw new ConfigException(`Unknown configuration '${name}'`);
    return this.values[name];
  }
  getString(name: string): string {
    return this.get(name) as string;
  }
  getOptionalString(name: string): string | null {
    return (this.get(name) as string | null) ?? null;
  }
  getInt(name: string): number {
    return this.get(name) as number;
  }
  getLong(name: string): number {
    return this.get(name) as number;
  }
  getDouble(name: string): number {
    return this.get(name) as number;
  }
  getBoolean(name: string): boolean {
    return this.get(name) as boolean;
  }
  getList(name: string): string[] {
    return (this.get(name) as string[] | null) ?? [];
  }
  getPassword(name: string): Password | null {
    return (this.get(name) as Password | null) ?? null;
  }

  /** Originals under a prefix with the prefix stripped (e.g. `value.converter.`). */
  originalsWithPrefix(prefix: string, strip = true): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.originals))
      if (k.startsWith(prefix)) out[strip ? k.slice(prefix.length) : k] = v;
    return out;
  }
}

/** Replaces the values of PASSWORD keys with `[hidden]`; used for every config echoed to REST or logs. */
export function maskSecrets(
  config: Record<string, string>,
  def: ConfigDef | undefined,
  extraSecretKeys: (key: string) => boolean = looksSecret,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const key = def?.keys.get(k);
    out[k] = (key && key.type === 'PASSWORD') || extraSecretKeys(k) ? Password.HIDDEN : v;
  }
  return out;
}

/** Keys that are secrets by naming convention even when no ConfigDef declares them (e.g. sub-configs). */
export function looksSecret(key: string): boolean {
  return /(^|\.)(password|passwd|sslpassword|secret|sasl\.jaas\.config|basic\.auth\.user\.info|ssl\.key\.password|ssl\.keystore\.password|ssl\.truststore\.password|secret\.access\.key|aws\.secret\.access\.key|token)$/i.test(
    key,
  );
}
