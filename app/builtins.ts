/**
 * The composition root: the one list of the plugins that ship with Tributary. The runtime knows
 * no connector; the entry points (cli/, tests, benches) hand it these descriptors.
 */
import type { PluginDescriptor } from '../runtime/plugins/types.ts';
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
export function builtinPlugins(): PluginDescriptor[] {
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
export function createPluginRegistry(extra: PluginDescriptor[] = []): PluginRegistry {
  return new PluginRegistry().register(...builtinPlugins(), ...extra);
}
