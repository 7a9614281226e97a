/** The S3 sink's plugin version, shared by the connector, the lazy task and the task it loads. */
export const S3_SINK_VERSION = '1.0.0';
