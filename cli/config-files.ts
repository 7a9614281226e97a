/** Reading worker and connector config files: Java-style `.properties` or JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { parseProperties } from '../runtime/config/properties.ts';
import { ConfigException } from '../runtime/errors.ts';

function stringify(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj))
    if (v !== null && v !== undefined) out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return out;
}

export function readWorkerConfig(file: string): Record<string, string> {
  const text = readText(file);
  if (file.endsWith('.json')) return stringify(parseJson(file, text) as Record<string, unknown>);
  return parseProperties(text);
}

/** A connector file: `{"name","config":{…}}` (the REST body), a flat JSON map, or `.properties`. */
export function readConnectorConfig(file: string): { name: string; config: Record<string, string> } {
  const text = readText(file);
  let config: Record<string, string>;
  let name: string | undefined;
  if (file.endsWith('.json')) {
    const json = parseJson(file, text) as { name?: string; config?: Record<string, unknown> } & Record<string, unknown>;
    if (json.config && typeof json.config === 'object') {
      config = stringify(json.config);
      name = json.name;
    } else config = stringify(json);
  } else config = parseProperties(text);
  name = name ?? config.name;
  if (!name) throw new ConfigException(`${file}: the connector has no name; add "name" to the file`, { key: 'name' });
  return { name, config: { ...config, name } };
}

function readText(file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (err) {
    throw new ConfigException(`Cannot read config file ${file}: ${(err as Error).message}`);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigException(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}
