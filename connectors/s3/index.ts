import type { LazyPluginDescriptor } from '../../sdk/spi.ts';
import { S3_SINK_VERSION } from './version.ts';

// Listed without its code (the AWS client, the Parquet/Avro writers and their codecs): imported
// when an S3 sink is first used. The class name is config.ts's S3_SINK_CLASS (app/builtins.test.ts checks).
export const s3Plugins: LazyPluginDescriptor[] = [
  {
    type: 'sink',
    className: 'io.confluent.connect.s3.S3SinkConnector',
    aliases: ['tributary.s3.S3Sink', 'S3SinkConnector'],
    version: S3_SINK_VERSION,
    load: async () => {
      const { S3SinkConnector } = await import('./s3-sink-connector.js');
      return () => new S3SinkConnector();
    },
  },
];
