import type { PluginDescriptor } from '../../sdk/spi.ts';
import { S3_SINK_CLASS } from './config.ts';
import { S3SinkConnector } from './s3-sink-connector.ts';
import { S3_SINK_VERSION } from './lazy-task.ts';

export { registerS3Partitioner, type S3Partitioner, type PartitionerFactory } from './partitioner/partitioner.ts';

export const s3Plugins: PluginDescriptor[] = [
  {
    type: 'sink',
    className: S3_SINK_CLASS,
    aliases: ['tributary.s3.S3Sink', 'S3SinkConnector'],
    version: S3_SINK_VERSION,
    create: () => new S3SinkConnector(),
  },
];
