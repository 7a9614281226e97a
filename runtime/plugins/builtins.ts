/** The plugins that ship with Tributary, registered in one explicit list. */
import type { PluginDescriptor } from './types.ts';
import { PluginRegistry } from './registry.ts';
import { JsonConverter } from '../converters/json-converter.ts';
import { ByteArrayConverter, SimpleHeaderConverter, StringConverter } from '../converters/simple-converters.ts';
import { filePlugins } from '../../connectors/file/index.ts';
import { jdbcPlugins } from '../../connectors/jdbc/index.ts';
import { postgresPlugins } from '../../connectors/postgres/index.ts';
import { mysqlPlugins } from '../../connectors/mysql/index.ts';
import { mainframePlugins } from '../../connectors/mainframe/index.ts';
import { s3Plugins } from '../../connectors/s3/index.ts';
import { registryConverterPlugins } from '../converters/registry-converters.ts';
import { transformPlugins } from '../../smt/index.ts';

export const converterPlugins: PluginDescriptor[] = [
  { type: 'converter', className: 'org.apache.kafka.connect.json.JsonConverter', aliases: ['tributary.converters.JsonConverter'], version: '1.0.0', create: () => new JsonConverter() },
  { type: 'converter', className: 'org.apache.kafka.connect.storage.StringConverter', aliases: ['tributary.converters.StringConverter'], version: '1.0.0', create: () => new StringConverter() },
  { type: 'converter', className: 'org.apache.kafka.connect.converters.ByteArrayConverter', aliases: ['tributary.converters.ByteArrayConverter'], version: '1.0.0', create: () => new ByteArrayConverter() },
  { type: 'header_converter', className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter', version: '1.0.0', create: () => new SimpleHeaderConverter() },
  { type: 'header_converter', className: 'org.apache.kafka.connect.storage.StringConverter', version: '1.0.0', create: () => new StringConverter() },
  { type: 'header_converter', className: 'org.apache.kafka.connect.converters.ByteArrayConverter', version: '1.0.0', create: () => new ByteArrayConverter() },
  { type: 'header_converter', className: 'org.apache.kafka.connect.json.JsonConverter', version: '1.0.0', create: () => jsonHeaderConverter() },
];

function jsonHeaderConverter() {
  const c = new JsonConverter();
  return {
    configure: (configs: Record<string, string>) => c.configure(configs, false),
    fromConnectHeader: (topic: string, _key: string, schema: Parameters<JsonConverter['fromConnectData']>[1], value: unknown) => c.fromConnectData(topic, schema, value),
    toConnectHeader: (topic: string, _key: string, value: Buffer | null) => c.toConnectData(topic, value),
    config: () => c.config(),
  };
}

/** Every built-in plugin. Connector folders export their descriptors; this list is the one place they are joined. */
export function builtinPlugins(): PluginDescriptor[] {
  return [...converterPlugins, ...registryConverterPlugins, ...filePlugins, ...jdbcPlugins, ...postgresPlugins, ...mysqlPlugins, ...mainframePlugins, ...s3Plugins, ...transformPlugins];
}

export function createPluginRegistry(extra: PluginDescriptor[] = []): PluginRegistry {
  return new PluginRegistry().register(...builtinPlugins(), ...extra);
}
