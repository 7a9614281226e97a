/** Builds the runtime pieces of one task from its connector's config: converters, chain, tolerance, metrics. */
import type { PluginRegistry } from '../plugins/registry.ts';
import type { Converter, HeaderConverter } from '../spi/converter.ts';
import type { WorkerConfig } from './worker-config.ts';

function prefixed(config: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** The connector's converter when it names one (with its own sub-configs), else the worker's. */
export function createConverter(
  kind: 'key' | 'value',
  connectorConfig: Record<string, string>,
  worker: WorkerConfig,
  plugins: PluginRegistry,
): Converter {
  const key = `${kind}.converter`;
  const fromConnector = connectorConfig[key];
  const className = fromConnector ?? worker.getString(key);
  const sub = fromConnector ? prefixed(connectorConfig, `${key}.`) : worker.originalsWithPrefix(`${key}.`);
  const converter = plugins.get(className, 'converter').create();
  converter.configure({ ...sub, 'converter.type': kind }, kind === 'key');
  return converter;
}

export function createHeaderConverter(
  connectorConfig: Record<string, string>,
  worker: WorkerConfig,
  plugins: PluginRegistry,
): HeaderConverter {
  const fromConnector = connectorConfig['header.converter'];
  const className = fromConnector ?? worker.getString('header.converter');
  const sub = fromConnector
    ? prefixed(connectorConfig, 'header.converter.')
    : worker.originalsWithPrefix('header.converter.');
  const converter = plugins.get(className, ['header_converter', 'converter']).create() as HeaderConverter;
  converter.configure({ ...sub, 'converter.type': 'header' });
  return converter;
}
