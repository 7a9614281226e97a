/**
 * Extension points of the S3 sink (a custom partitioner registered under its class name, then
 * named in `partitioner.class`), for code running in the worker's own module graph. Kept out of the
 * main SDK entry so the SDK does not load the S3 connector; not yet a package entry point for
 * out-of-tree plugins (their copy of this module would register into a registry the worker does
 * not read).
 */
export { registerS3Partitioner } from '../connectors/s3/partitioner/partitioner.ts';
export type { S3Partitioner, PartitionerFactory } from '../connectors/s3/partitioner/partitioner.ts';
