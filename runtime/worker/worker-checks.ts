/**
 * Checks of the worker config that need more than the ConfigDef, as Kafka Connect's WorkerConfig
 * and AbstractConfig do them: the converter classes must exist (Kafka Connect refuses to start
 * with "Class X could not be found"; a worker that started would fail every connector later), and
 * keys nobody reads are logged as unused.
 */
import type { ConfigDef } from '../config/config-def.ts';
import { ConfigException } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { WorkerConfig } from './worker-config.ts';

/** Throws a ConfigException naming the key, the class and the choices when a worker converter class is unknown. */
export function checkWorkerPlugins(config: WorkerConfig, plugins: PluginRegistry): void {
  const checks: Array<[string, Parameters<PluginRegistry['find']>[1], string]> = [
    ['key.converter', 'converter', 'Converter'],
    ['value.converter', 'converter', 'Converter'],
    ['header.converter', ['header_converter', 'converter'], 'HeaderConverter'],
  ];
  for (const [key, types, what] of checks) {
    const className = config.getString(key);
    if (plugins.find(className, types)) continue;
    const known = plugins.list(Array.isArray(types) ? types : [types]).map((d) => d.className);
    throw new ConfigException(
      `Invalid value ${className} for configuration ${key}: Class ${className} could not be found (no ${what} plugin has this name). Known: ${known.join(', ')}; or add the plugin's package to plugin.path`,
      { key },
    );
  }
}

/**
 * Keys other parts of the worker read by prefix or by name without a definition here (client
 * settings of the Kafka transport, converter and provider sub-configs, distributed mode's keys).
 */
const CONSUMED_PREFIXES = [
  'key.converter.',
  'value.converter.',
  'header.converter.',
  'producer.',
  'consumer.',
  'admin.',
  'config.providers.',
  'listeners.',
  'ssl.',
  'sasl.',
  'security.',
  'metadata.',
  'reconnect.',
  'socket.',
  'connections.',
  'metrics.',
  'metric.',
  'retry.',
  'request.',
  'client.',
  'inter.worker.',
  'offset.storage.',
  'config.storage.',
  'status.storage.',
  'exactly.once.',
  'transaction.',
  'group.',
  'heartbeat.',
  'session.',
  'rebalance.',
  'scheduled.rebalance.',
  'worker.',
  'connect.protocol',
  'tributary.',
];

/** Supplied keys that no definition and no known consumer reads. */
export function unusedWorkerKeys(props: Record<string, string>, defs: ConfigDef[]): string[] {
  return Object.keys(props)
    .filter((k) => !defs.some((d) => d.keys.has(k)) && !CONSUMED_PREFIXES.some((p) => k === p || k.startsWith(p)))
    .sort();
}

/** Kafka Connect's AbstractConfig.logUnused, same wording. */
export function warnUnusedWorkerKeys(props: Record<string, string>, defs: ConfigDef[], logger: Logger): string[] {
  const unused = unusedWorkerKeys(props, defs);
  if (unused.length > 0)
    logger.warn({ unused }, `These configurations '[${unused.join(', ')}]' were supplied but are not used yet.`);
  return unused;
}
