/**
 * Config providers: `${env:NAME}`, `${file:/path/to/file.properties:key}` and `${dir:/path:file}`
 * placeholders resolved at use time, as Kafka's ConfigTransformer does, so secrets stay out of
 * stored configs. The placeholder pattern follows ConfigTransformer (`${provider:[path:]key}`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigException } from '../errors.ts';
import { parseProperties } from './properties.ts';

export interface ConfigProvider {
  get(path: string | undefined, key: string): string | undefined;
}

const PLACEHOLDER = /\$\{([^}]*?):(?:([^}]*?):)?([^}]*?)\}/g;

export const envProvider: ConfigProvider = {
  get: (_path, key) => process.env[key],
};

export const fileProvider: ConfigProvider = {
  get(filePath, key) {
    if (!filePath) throw new ConfigException(`\${file:...} needs a path: use \${file:/path/to/file.properties:${key}}`);
    let text: string;
    try {
      text = fs.readFileSync(filePath, 'utf8');
    } catch (err) {
      throw new ConfigException(`Could not read config provider file "${filePath}": ${(err as Error).message}`);
    }
    return parseProperties(text)[key];
  },
};

export const directoryProvider: ConfigProvider = {
  get(dir, key) {
    if (!dir) throw new ConfigException(`\${dir:...} needs a directory: use \${dir:/path/to/dir:${key}}`);
    const file = path.join(dir, key);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  },
};

export const DEFAULT_PROVIDERS: Readonly<Record<string, ConfigProvider>> = { env: envProvider, file: fileProvider, dir: directoryProvider };

/** Resolves placeholders in every value; unknown providers are left untouched (as Kafka does). */
export function resolveConfig(config: Record<string, string>, providers: Readonly<Record<string, ConfigProvider>> = DEFAULT_PROVIDERS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) out[k] = resolveValue(k, v, providers);
  return out;
}

export function resolveValue(configKey: string, value: string, providers: Readonly<Record<string, ConfigProvider>> = DEFAULT_PROVIDERS): string {
  if (typeof value !== 'string' || !value.includes('${')) return value;
  return value.replace(PLACEHOLDER, (whole, provider: string, p: string | undefined, key: string) => {
    const impl = providers[provider];
    if (!impl) return whole;
    const resolved = impl.get(p, key);
    if (resolved === undefined) {
      throw new ConfigException(`Config "${configKey}": placeholder ${whole} did not resolve (provider "${provider}" has no value for "${key}"${p ? ` in "${p}"` : ''})`, { key: configKey });
    }
    return resolved;
  });
}
