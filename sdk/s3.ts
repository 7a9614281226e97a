/**
 * `tributary/sdk/s3`: extension points of the S3 sink for plugin packages (a custom partitioner
 * registered under its class name, then named in `partitioner.class`). Kept out of the main SDK
 * entry so plugins that do not extend the S3 sink do not load it.
 */
export { registerS3Partitioner } from '../connectors/s3/index.ts';
export type { S3Partitioner, PartitionerFactory } from '../connectors/s3/index.ts';
