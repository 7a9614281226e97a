/**
 * The Tributary plugin SDK (`import … from 'tributary/sdk'`): everything a connector, transform,
 * predicate or converter package needs, and nothing else of the runtime.
 *
 * - The SPI: {@link SourceConnector}/{@link SourceTask}, {@link SinkConnector}/{@link SinkTask},
 *   {@link Transformation}, {@link Predicate}, {@link Converter}, {@link HeaderConverter}, and the
 *   contexts the worker hands them.
 * - Connect data: {@link Schema}/{@link SchemaBuilder}/{@link Struct}, logical types, records, headers.
 * - Configuration: {@link ConfigDef} with {@link Validators}; it drives validation,
 *   `/config/validate`, the config listing and secret masking.
 * - Logging: {@link createLogger}, a named logger that hides secrets in the values it logs.
 * - Typed errors: {@link ConfigException}, {@link DataException}, {@link RetriableException},
 *   {@link ConnectException}, {@link RecordFailures}.
 * - Helpers for the common shapes: {@link SourceConnectorBase}/{@link SinkConnectorBase},
 *   {@link PollingSourceTask} (offsets, poll interval, backoff), {@link BatchingSinkTask} (batches,
 *   retries, dead letter queue), {@link FieldPathTransformation} with {@link keyValueTransformations}
 *   (`$Key`/`$Value`).
 *
 * A plugin package exports `tributaryPlugins: PluginDescriptor[]` and declares itself in its
 * package.json `"tributary"` field ({@link PluginManifest}); the worker loads it from `plugin.path`.
 * The test kit is `tributary/sdk/testing`. Semver: see {@link SDK_VERSION}.
 */
export * from './data.ts';
export type * from './spi.ts';
export * from './config.ts';
export * from './logging.ts';
export {
  TributaryError,
  ConnectException,
  DataException,
  RetriableException,
  ConfigException,
  RecordFailures,
  isRetriable,
} from './errors.ts';
export type { RecordFailure } from './errors.ts';
export { SDK_VERSION } from './version.ts';
export { systemClock, clockOf, backoffDelay } from './clock.ts';
export type { Clock } from './clock.ts';
export { SourceConnectorBase, SinkConnectorBase } from './connector-base.ts';
export { PollingSourceTask, POLLING_SOURCE_CONFIG } from './polling-source.ts';
export type { PollingSettings } from './polling-source.ts';
export { BatchingSinkTask, BATCHING_SINK_CONFIG } from './batching-sink.ts';
export type { BatchingSettings } from './batching-sink.ts';
export { FieldPathTransformation, FIELD_PATH_CONFIG, keyValueTransformations } from './field-transform.ts';
export type { RecordPart } from './field-transform.ts';
