/**
 * Loads the code of the plugins a connector config names — its connector class, converters (its
 * own or the worker's), transformations and predicates — before the herder's synchronous steps
 * create them (the registry's lazy descriptors, runtime/plugins/registry.ts). A worker so imports
 * only the plugins its connectors use. Names that match no plugin are left to the steps that
 * report them; a plugin whose module fails to load throws that error where it is created.
 */
import type { PluginRegistry } from '../plugins/registry.ts';
import type { PluginType } from '../plugins/types.ts';
import type { WorkerConfig } from './worker-config.ts';

function aliases(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The plugin names a connector config refers to, each with the plugin types it may name. */
export function pluginsNamedBy(
  config: Record<string, string>,
  worker?: WorkerConfig,
): Array<[string, PluginType | PluginType[]]> {
  const named: Array<[string, PluginType | PluginType[]]> = [];
  const add = (name: string | undefined, type: PluginType | PluginType[]) => {
    if (name && name.trim()) named.push([name, type]);
  };
  add(config['connector.class'], ['source', 'sink']);
  for (const key of ['key.converter', 'value.converter']) add(config[key] ?? worker?.getString(key), 'converter');
  add(config['header.converter'] ?? worker?.getString('header.converter'), ['header_converter', 'converter']);
  for (const alias of aliases(config.transforms)) add(config[`transforms.${alias}.type`], 'transformation');
  for (const alias of aliases(config.predicates)) add(config[`predicates.${alias}.type`], 'predicate');
  return named;
}

/** Imports every plugin `config` names (each once; see the file comment for what a failure does). */
export async function loadConnectorPlugins(
  plugins: PluginRegistry,
  config: Record<string, string>,
  worker?: WorkerConfig,
): Promise<void> {
  await Promise.all(pluginsNamedBy(config, worker).map(([name, type]) => plugins.loadNamed(name, type)));
}
