/**
 * The composition root: the one list of the plugins that ship with Tributary. The runtime knows
 * no connector; the entry points (cli/, tests, benches) hand it these descriptors. Each is listed
 * without its code (a lazy descriptor): the registry imports a plugin's module when a connector,
 * converter or transformation of its class is first used, so a worker loads only what it runs.
 */
import type { AnyPluginDescriptor } from '../runtime/plugins/types.ts';
import { PluginRegistry } from '../runtime/plugins/registry.ts';
import { runtimeConverterPlugins } from '../runtime/converters/converter-plugins.ts';
import { filePlugins } from '../connectors/file/index.ts';
import { jdbcPlugins } from '../connectors/jdbc/index.ts';
import { postgresPlugins } from '../connectors/postgres/index.ts';
import { mysqlPlugins } from '../connectors/mysql/index.ts';
import { mainframePlugins } from '../connectors/mainframe/index.ts';
import { s3Plugins } from '../connectors/s3/index.ts';
import { transformPlugins } from '../smt/index.ts';

/** Every built-in plugin: the runtime's converters, the connectors, the transforms and predicates. */
export function builtinPlugins(): AnyPluginDescriptor[] {
  return [
    ...runtimeConverterPlugins(),
    ...filePlugins,
    ...jdbcPlugins,
    ...postgresPlugins,
    ...mysqlPlugins,
    ...mainframePlugins,
    ...s3Plugins,
    ...transformPlugins,
  ];
}

/** A registry holding the built-ins and `extra` (tests, embedding applications). */
export function createPluginRegistry(extra: AnyPluginDescriptor[] = []): PluginRegistry {
  return new PluginRegistry().register(...builtinPlugins(), ...extra);
}

/** The same with every plugin's code loaded, for callers that create plugins without a worker (tools, tests). */
export async function loadedPluginRegistry(extra: AnyPluginDescriptor[] = []): Promise<PluginRegistry> {
  const registry = createPluginRegistry(extra);
  await registry.loadAll();
  return registry;
}
