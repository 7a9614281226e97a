/**
 * The plugin contracts, part of `tributary/sdk` (types only, nothing to load): the connector, task,
 * transformation, predicate, converter and metrics interfaces, the descriptor a plugin package
 * exports and the manifest it declares.
 */
export type * from '../runtime/spi/index.ts';
export type {
  AnyPluginDescriptor,
  DescriptorOf,
  LazyPluginDescriptor,
  PluginDescriptor,
  PluginType,
} from '../runtime/plugins/types.ts';
export type { PluginManifest, ManifestClass } from '../runtime/plugins/manifest.ts';
