/**
 * The descriptors of the converters that live in the runtime (JSON, String, ByteArray, the
 * header converters, Avro and Protobuf through a schema registry). The composition root
 * (app/builtins.ts) registers them with the connectors and transforms.
 */
import type { PluginDescriptor } from '../plugins/types.ts';
import { JsonConverter } from './json-converter.ts';
import { ByteArrayConverter, SimpleHeaderConverter, StringConverter } from './simple-converters.ts';
import { registryConverterPlugins } from './registry-converters.ts';

const simpleConverterPlugins: PluginDescriptor[] = [
  {
    type: 'converter',
    className: 'org.apache.kafka.connect.json.JsonConverter',
    aliases: ['tributary.converters.JsonConverter'],
    version: '1.0.0',
    create: () => new JsonConverter(),
  },
  {
    type: 'converter',
    className: 'org.apache.kafka.connect.storage.StringConverter',
    aliases: ['tributary.converters.StringConverter'],
    version: '1.0.0',
    create: () => new StringConverter(),
  },
  {
    type: 'converter',
    className: 'org.apache.kafka.connect.converters.ByteArrayConverter',
    aliases: ['tributary.converters.ByteArrayConverter'],
    version: '1.0.0',
    create: () => new ByteArrayConverter(),
  },
  {
    type: 'header_converter',
    className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    version: '1.0.0',
    create: () => new SimpleHeaderConverter(),
  },
  {
    type: 'header_converter',
    className: 'org.apache.kafka.connect.storage.StringConverter',
    version: '1.0.0',
    create: () => new StringConverter(),
  },
  {
    type: 'header_converter',
    className: 'org.apache.kafka.connect.converters.ByteArrayConverter',
    version: '1.0.0',
    create: () => new ByteArrayConverter(),
  },
  {
    type: 'header_converter',
    className: 'org.apache.kafka.connect.json.JsonConverter',
    version: '1.0.0',
    create: () => jsonHeaderConverter(),
  },
];

function jsonHeaderConverter() {
  const c = new JsonConverter();
  return {
    configure: (configs: Record<string, string>) => c.configure(configs, false),
    fromConnectHeader: (
      topic: string,
      _key: string,
      schema: Parameters<JsonConverter['fromConnectData']>[1],
      value: unknown,
    ) => c.fromConnectData(topic, schema, value),
    toConnectHeader: (topic: string, _key: string, value: Buffer | null) => c.toConnectData(topic, value),
    config: () => c.config(),
  };
}

/** Every converter and header converter the runtime ships. */
export function runtimeConverterPlugins(): PluginDescriptor[] {
  return [...simpleConverterPlugins, ...registryConverterPlugins];
}
