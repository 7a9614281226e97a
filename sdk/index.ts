/**
 * The plugin authoring SDK: everything a third-party connector, transform or converter package
 * needs. A plugin package exports `tributaryPlugins: PluginDescriptor[]` from its main module (or
 * the module named by `"tributary": {"plugins": "..."}` in its package.json) and is installed by
 * putting it in a directory listed in the worker's `plugin.path`.
 */
export * from '../runtime/data/index.ts';
export type * from '../runtime/spi/index.ts';
export type { PluginDescriptor, PluginType } from '../runtime/plugins/types.ts';
export { ConfigDef, ParsedConfig, Password, Validators, NO_DEFAULT } from '../runtime/config/config-def.ts';
export type { ConfigKeyInit, ConfigType, Importance, Validator } from '../runtime/config/config-def.ts';
export { TributaryError, ConnectException, DataException, RetriableException, ConfigException } from '../runtime/errors.ts';
export { registerS3Partitioner } from '../connectors/s3/index.ts';
export type { S3Partitioner, PartitionerFactory } from '../connectors/s3/index.ts';
