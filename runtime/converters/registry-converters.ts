/**
 * The schema-registry converters (Avro, Protobuf) under Confluent's class names, listed without
 * their code (avsc, protobufjs): each module is imported when a converter of its class is first built.
 */
import type { LazyPluginDescriptor } from '../plugins/types.ts';

export const registryConverterPlugins: LazyPluginDescriptor[] = [
  {
    type: 'converter',
    className: 'io.confluent.connect.avro.AvroConverter',
    aliases: ['tributary.converters.AvroConverter'],
    version: '1.0.0',
    load: async () => {
      const { AvroConverter } = await import('./avro/avro-converter.js');
      return () => new AvroConverter();
    },
  },
  {
    type: 'converter',
    className: 'io.confluent.connect.protobuf.ProtobufConverter',
    aliases: ['tributary.converters.ProtobufConverter'],
    version: '1.0.0',
    load: async () => {
      const { ProtobufConverter } = await import('./protobuf/protobuf-converter.js');
      return () => new ProtobufConverter();
    },
  },
];
