/**
 * Config providers as Kafka's: `${provider:[path:]key}` placeholders (ConfigTransformer's pattern)
 * resolve only through providers the worker config lists in `config.providers`, each built from
 * `config.providers.<name>.class` and `config.providers.<name>.param.*`. Nothing resolves by
 * default. The built-ins are Kafka's FileConfigProvider and DirectoryConfigProvider (restricted
 * by `allowed.paths`, KIP-993) and EnvVarConfigProvider (restricted by `allowlist.pattern`,
 * KIP-887). A placeholder whose provider is not configured or has no value stays as written, as
 * Kafka's ConfigTransformer leaves it.
 *
 * Resolved values are secrets: a transform returns a `redact` function that puts the placeholder
 * back wherever a resolved value shows up in a message, trace or log line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigException } from '../errors.ts';
import { parseProperties } from './properties.ts';

export interface ConfigProvider {
  /** The value of `key` (in `path` when the provider has paths); undefined when there is none or it is not allowed. */
  get(path: string | undefined, key: string): string | undefined;
}

/** ConfigTransformer.DEFAULT_PATTERN: `${provider:[path:]key}`. */
const PLACEHOLDER = /\$\{([^}]*?):(?:([^}]*?):)?([^}]*?)\}/g;

export function hasPlaceholder(value: string | undefined): boolean {
  return typeof value === 'string' && new RegExp(PLACEHOLDER.source).test(value);
}

export const PROVIDER_CLASSES = {
  file: 'org.apache.kafka.common.config.provider.FileConfigProvider',
  dir: 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
  env: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
} as const;

/** KIP-993's AllowedPaths: absolute, existing directories or files; a path is allowed when, normalised and with symlinks resolved, it lies inside one. */
export class AllowedPaths {
  private readonly roots: string[] | null;

  constructor(configKey: string, value: string | undefined) {
    const entries = (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (entries.length === 0) {
      this.roots = null;
      return;
    }
    this.roots = entries.map((entry) => {
      const normalised = path.normalize(entry);
      if (!path.isAbsolute(normalised))
        throw new ConfigException(
          `Invalid value ${entry} for configuration ${configKey}: path ${normalised} is not absolute; list absolute directories, e.g. /etc/tributary/secrets`,
          { key: configKey },
        );
      if (!fs.existsSync(normalised))
        throw new ConfigException(
          `Invalid value ${entry} for configuration ${configKey}: path ${normalised} does not exist; create it or remove it from the list`,
          { key: configKey },
        );
      return fs.realpathSync(normalised);
    });
  }

  /** The path to open, or null when it is outside every allowed path (no restriction when none are configured). */
  parseUntrustedPath(untrusted: string): string | null {
    const normalised = path.normalize(untrusted);
    if (this.roots === null) return normalised;
    if (!path.isAbsolute(normalised)) return null;
    let real: string;
    try {
      real = fs.realpathSync(normalised);
    } catch {
      return null;
    }
    return this.roots.some((root) => isInside(real, root)) ? real : null;
  }
}

export function isInside(candidate: string, root: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Larger files are not read: a placeholder must not make the worker read a device or a huge file. */
const MAX_PROVIDER_FILE_BYTES = 1 << 20;

/** The text of a regular file of at most MAX_PROVIDER_FILE_BYTES, else undefined (never a FIFO, device or directory). */
function readSmallRegularFile(file: string): string | undefined {
  const st = fs.statSync(file);
  if (!st.isFile() || st.size > MAX_PROVIDER_FILE_BYTES) return undefined;
  return fs.readFileSync(file, 'utf8');
}

/** Kafka's FileConfigProvider: `${file:/path/to/file.properties:key}`. */
export class FileConfigProvider implements ConfigProvider {
  private readonly allowed: AllowedPaths;
  constructor(params: Record<string, string>, name = 'file') {
    this.allowed = new AllowedPaths(`config.providers.${name}.param.allowed.paths`, params['allowed.paths']);
  }

  get(filePath: string | undefined, key: string): string | undefined {
    if (!filePath) return undefined;
    const file = this.allowed.parseUntrustedPath(filePath);
    if (file === null) return undefined;
    let text: string | undefined;
    try {
      text = readSmallRegularFile(file);
    } catch {
      return undefined;
    }
    return text === undefined ? undefined : parseProperties(text)[key];
  }
}

/** Kafka's DirectoryConfigProvider: `${dir:/path/to/dir:filename}` is the content of that regular file. */
export class DirectoryConfigProvider implements ConfigProvider {
  private readonly allowed: AllowedPaths;
  constructor(params: Record<string, string>, name = 'dir') {
    this.allowed = new AllowedPaths(`config.providers.${name}.param.allowed.paths`, params['allowed.paths']);
  }

  get(dirPath: string | undefined, key: string): string | undefined {
    if (!dirPath || key.includes('/') || key.includes('\\') || key === '..' || key === '.') return undefined;
    const dir = this.allowed.parseUntrustedPath(dirPath);
    if (dir === null) return undefined;
    try {
      // As Kafka: only regular files directly in the directory (a symlink must stay inside it).
      const base = fs.realpathSync(dir);
      const file = fs.realpathSync(path.join(base, key));
      if (!isInside(file, base)) return undefined;
      return readSmallRegularFile(file);
    } catch {
      return undefined;
    }
  }
}

/** Kafka's EnvVarConfigProvider (KIP-887): `${env:NAME}` for variables whose name matches `allowlist.pattern` (default: all). */
export class EnvVarConfigProvider implements ConfigProvider {
  private readonly allow: RegExp;
  constructor(params: Record<string, string>, name = 'env') {
    const key = `config.providers.${name}.param.allowlist.pattern`;
    const pattern = params['allowlist.pattern'] ?? '.*';
    try {
      this.allow = new RegExp(`^(?:${pattern})$`);
    } catch (err) {
      throw new ConfigException(
        `Invalid value ${pattern} for configuration ${key}: not a valid regular expression (${(err as Error).message})`,
        { key },
      );
    }
  }

  get(p: string | undefined, key: string): string | undefined {
    // Kafka: "Path is not supported for EnvVarConfigProvider".
    if (p) return undefined;
    return this.allow.test(key) ? process.env[key] : undefined;
  }
}

type ProviderKind = 'file' | 'dir' | 'env';
const KINDS: Record<string, ProviderKind> = {
  [PROVIDER_CLASSES.file]: 'file',
  FileConfigProvider: 'file',
  [PROVIDER_CLASSES.dir]: 'dir',
  DirectoryConfigProvider: 'dir',
  [PROVIDER_CLASSES.env]: 'env',
  EnvVarConfigProvider: 'env',
};

function createProvider(kind: ProviderKind, params: Record<string, string>, name: string): ConfigProvider {
  if (kind === 'file') return new FileConfigProvider(params, name);
  if (kind === 'dir') return new DirectoryConfigProvider(params, name);
  return new EnvVarConfigProvider(params, name);
}

export interface ProviderWarning {
  provider: string;
  message: string;
}

/** A placeholder that stayed as written: its provider is not configured, or has no (allowed) value. */
export interface UnresolvedPlaceholder {
  key: string;
  placeholder: string;
  reason: string;
}

export interface ResolvedConfig {
  data: Record<string, string>;
  /**
   * Puts placeholders back wherever a value they resolved to appears in `text`. Values shorter
   * than 3 characters are left alone unless `all` (messages about the key's own value), so a
   * resolved `1` does not garble every message.
   */
  redact(text: string, all?: boolean): string;
  /** Keys whose raw value holds at least one placeholder that resolved. */
  resolvedKeys: Set<string>;
  unresolved: UnresolvedPlaceholder[];
}

/** The worker's config providers (Kafka's WorkerConfigTransformer over AbstractConfig's instantiated providers). */
export class ConfigProviders {
  private constructor(
    private readonly providers: ReadonlyMap<string, ConfigProvider>,
    readonly warnings: ProviderWarning[] = [],
  ) {}

  static none(): ConfigProviders {
    return new ConfigProviders(new Map());
  }

  static of(providers: Record<string, ConfigProvider>): ConfigProviders {
    return new ConfigProviders(new Map(Object.entries(providers)));
  }

  /** As AbstractConfig.instantiateConfigProviders: `config.providers` names, `.class` and `.param.*` for each. */
  static fromWorkerProps(props: Record<string, string>): ConfigProviders {
    const names = (props['config.providers'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const providers = new Map<string, ConfigProvider>();
    const warnings: ProviderWarning[] = [];
    for (const name of names) {
      const classKey = `config.providers.${name}.class`;
      const className = props[classKey]?.trim();
      if (!className)
        throw new ConfigException(
          `config.providers lists "${name}" but ${classKey} is not set; set it to ${Object.values(PROVIDER_CLASSES).join(', ')} or remove "${name}"`,
          { key: classKey },
        );
      const kind = KINDS[className];
      if (!kind)
        throw new ConfigException(
          `Invalid value ${className} for configuration ${classKey}: unknown config provider class; supported: ${Object.values(PROVIDER_CLASSES).join(', ')}`,
          { key: classKey },
        );
      const prefix = `config.providers.${name}.param.`;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) params[k.slice(prefix.length)] = v;
      providers.set(name, createProvider(kind, params, name));
      if (kind === 'env' && params['allowlist.pattern'] === undefined) {
        warnings.push({
          provider: name,
          message: `Config provider "${name}" resolves every environment variable; restrict it with config.providers.${name}.param.allowlist.pattern`,
        });
      }
      if (kind !== 'env' && !(params['allowed.paths'] ?? '').trim()) {
        warnings.push({
          provider: name,
          message: `Config provider "${name}" reads any file the worker can read; restrict it with config.providers.${name}.param.allowed.paths`,
        });
      }
    }
    return new ConfigProviders(providers, warnings);
  }

  get names(): string[] {
    return [...this.providers.keys()];
  }

  transform(config: Record<string, string>): ResolvedConfig {
    const data: Record<string, string> = {};
    const secrets = new Map<string, string>();
    const resolvedKeys = new Set<string>();
    const unresolved: UnresolvedPlaceholder[] = [];
    for (const [k, v] of Object.entries(config)) {
      if (typeof v !== 'string' || !v.includes('${')) {
        data[k] = v;
        continue;
      }
      data[k] = v.replace(PLACEHOLDER, (whole: string, provider: string, p: string | undefined, key: string) => {
        const impl = this.providers.get(provider);
        if (!impl) {
          unresolved.push({
            key: k,
            placeholder: whole,
            reason: `no config provider "${provider}" is configured (the worker config's config.providers)`,
          });
          return whole;
        }
        const value = impl.get(p, key);
        if (value === undefined) {
          unresolved.push({
            key: k,
            placeholder: whole,
            reason: `provider "${provider}" has no value for it, or the path or name is not allowed`,
          });
          return whole;
        }
        resolvedKeys.add(k);
        if (value !== '' && !secrets.has(value)) secrets.set(value, whole);
        return value;
      });
    }
    return { data, resolvedKeys, unresolved, redact: redactorOf(secrets) };
  }
}

/** Replaces each resolved value (longest first) by its placeholder. */
function redactorOf(secrets: Map<string, string>): (text: string, all?: boolean) => string {
  if (secrets.size === 0) return (text) => text;
  const pairs = [...secrets].sort(([a], [b]) => b.length - a.length);
  return (text, all = false) => {
    if (typeof text !== 'string') return text;
    let out = text;
    for (const [value, placeholder] of pairs)
      if ((all || value.length >= 3) && out.includes(value)) out = out.split(value).join(placeholder);
    return out;
  };
}

/** The worker config with its own placeholders resolved by its own providers (as AbstractConfig does at construction). */
export function resolveWorkerProps(props: Record<string, string>): {
  props: Record<string, string>;
  providers: ConfigProviders;
} {
  const providers = ConfigProviders.fromWorkerProps(props);
  return { props: providers.transform(props).data, providers };
}
