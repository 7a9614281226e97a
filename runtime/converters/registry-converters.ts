/** The schema-registry converters (Avro, Protobuf) under Confluent's class names. */
import type { PluginDescriptor } from '../plugins/types.ts';
import { AvroConverter } from './avro/avro-converter.ts';
import { ProtobufConverter } from './protobuf/protobuf-converter.ts';

export const registryConverterPlugins: PluginDescriptor[] = [
  {
    type: 'converter',
    className: 'io.confluent.connect.avro.AvroConverter',
    aliases: ['tributary.converters.AvroConverter'],
    version: '1.0.0',
    create: () => new AvroConverter(),
  },
  {
    type: 'converter',
    className: 'io.confluent.connect.protobuf.ProtobufConverter',
    aliases: ['tributary.converters.ProtobufConverter'],
    version: '1.0.0',
    create: () => new ProtobufConverter(),
  },
];
