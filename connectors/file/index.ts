import type { LazyPluginDescriptor } from '../../sdk/spi.ts';

// Listed without their code: each module is imported when a connector of its class is first used.
export const filePlugins: LazyPluginDescriptor[] = [
  {
    type: 'source',
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    aliases: ['tributary.file.FileStreamSource'],
    version: '1.0.0',
    load: async () => {
      const { FileStreamSourceConnector } = await import('./file-stream-source.js');
      return () => new FileStreamSourceConnector();
    },
  },
  {
    type: 'sink',
    className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    aliases: ['tributary.file.FileStreamSink'],
    version: '1.0.0',
    load: async () => {
      const { FileStreamSinkConnector } = await import('./file-stream-sink.js');
      return () => new FileStreamSinkConnector();
    },
  },
];
