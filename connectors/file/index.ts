import type { PluginDescriptor } from '../../sdk/spi.ts';
import { FileStreamSourceConnector } from './file-stream-source.ts';
import { FileStreamSinkConnector } from './file-stream-sink.ts';

export const filePlugins: PluginDescriptor[] = [
  {
    type: 'source',
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    aliases: ['tributary.file.FileStreamSource'],
    version: '1.0.0',
    create: () => new FileStreamSourceConnector(),
  },
  {
    type: 'sink',
    className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    aliases: ['tributary.file.FileStreamSink'],
    version: '1.0.0',
    create: () => new FileStreamSinkConnector(),
  },
];
