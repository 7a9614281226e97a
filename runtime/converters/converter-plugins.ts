/**
 * The descriptors of the converters that live in the runtime (JSON, String, ByteArray, the
 * header converters, Avro and Protobuf through a schema registry). The composition root
 * (app/builtins.ts) registers them with the connectors and transforms. Each is listed without its
 * code: its module is imported when a converter of its class is first built.
 */
import type { HeaderConverter } from '../spi/converter.ts';
import type { LazyPluginDescriptor } from '../plugins/types.ts';
import type { JsonConverter } from './json-converter.ts';
import { registryConverterPlugins } from './registry-converters.ts';

const jsonConverterClass = async () => (await import('./json-converter.js')).JsonConverter;
const simpleConverters = async () => await import('./simple-converters.js');

const simpleConverterPlugins: LazyPluginDescriptor[] = [
  {
    type: 'converter',
    className: 'org.apache.kafka.connect.json.JsonConverter',
    aliases: ['tributary.converters.JsonConverter'],
    version: '1.0.0',
    load: async () => {
      const Json = await jsonConverterClass();
      return () => new Json();
    },
  },
  {
    type: 'converter',
    className: 'org.apache.kafka.connect.storage.StringConverter',
    aliases: ['tributary.converters.StringConverter'],
    version: '1.0.0',
    load: async () => {
      const { StringConverter } = await simpleConverters();
      return () => new StringConverter();
    },
  },
  {
    type: 'converter',
    className: 'org.apache.kafka.connect.converters.ByteArrayConverter',
    aliases: ['tributary.converters.ByteArrayConverter'],
    version: '1.0.0',
    load: async () => {
      const { ByteArrayConverter } = await simpleConverters();
      return () => new ByteArrayConverter();
    },
  },
  {
    type: 'header_converter',
    className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    version: '1.0.0',
    load: async () => {
      const { SimpleHeaderConverter } = await simpleConverters();
      return () => new SimpleHeaderConverter();
    },
  },
  {
    type: 'header_converter',
    className: 'org.apache.kafka.connect.storage.StringConverter',
    version: '1.0.0',
    load: async () => {
      const { StringConverter } = await simpleConverters();
      return () => new StringConverter();
    },
  },
  {
    type: 'header_converter',
    className: 'org.apache.kafka.connect.converters.ByteArrayConverter',
    version: '1.0.0',
    load: async () => {
      const { ByteArrayConverter } = await simpleConverters();
      return () => new ByteArrayConverter();
    },
  },
  {
    type: 'header_converter',
    className: 'org.apache.kafka.connect.json.JsonConverter',
    version: '1.0.0',
    load: async () => {
      const Json = await jsonConverterClass();
      return () => jsonHeaderConverter(new Json());
    },
  },
];

function jsonHeaderConverter(c: JsonConverter): HeaderConverter {
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
export function runtimeConverterPlugins(): LazyPluginDescriptor[] {
  return [...simpleConverterPlugins, ...registryConverterPlugins];
}
