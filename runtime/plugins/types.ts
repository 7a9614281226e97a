import type { SourceConnector, SinkConnector } from '../spi/connector.ts';
import type { Converter, HeaderConverter } from '../spi/converter.ts';
import type { Transformation, Predicate } from '../spi/transformation.ts';

/** Kafka Connect's plugin type names, as listed by GET /connector-plugins. */
export type PluginType = 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';

interface DescriptorBase<T> {
  /**
   * The class name the plugin is listed under. For a plugin that implements a Kafka Connect or
   * Debezium class, that class's name (e.g. `io.debezium.connector.postgresql.PostgresConnector`),
   * so existing connector JSON loads unchanged.
   */
  className: string;
  /** Other names that find it: Tributary's own name, simple names, historical class names. */
  aliases?: string[];
  version: string;
  create(): T;
}

/** What a plugin package exports for each plugin (`tributaryPlugins`): its type, the class name users configure, aliases, version and a factory of new instances. */
export type PluginDescriptor =
  | (DescriptorBase<SourceConnector> & { type: 'source' })
  | (DescriptorBase<SinkConnector> & { type: 'sink' })
  | (DescriptorBase<Converter> & { type: 'converter' })
  | (DescriptorBase<HeaderConverter> & { type: 'header_converter' })
  | (DescriptorBase<Transformation> & { type: 'transformation' })
  | (DescriptorBase<Predicate> & { type: 'predicate' });

/** The descriptor type of one plugin type. */
export type DescriptorOf<T extends PluginType> = Extract<PluginDescriptor, { type: T }>;

interface LazyDescriptorBase<T> extends Omit<DescriptorBase<T>, 'create'> {
  /**
   * Imports the plugin's code and resolves with the factory of new instances. Called once, when a
   * plugin of this class is first used (a connector created or validated, a transformation chain
   * or a converter built, its config definition asked for), never for listing: a worker loads
   * only the code of the plugins its connectors use. E.g.
   * `load: async () => { const m = await import('./my-source.js'); return () => new m.MySource(); }`.
   */
  load(): Promise<() => T>;
}

/**
 * A descriptor whose code is imported on first use: the listing facts (type, class name, aliases,
 * version) without the module. A plugin package may export these in `tributaryPlugins` beside or
 * instead of descriptors with `create`.
 */
export type LazyPluginDescriptor =
  | (LazyDescriptorBase<SourceConnector> & { type: 'source' })
  | (LazyDescriptorBase<SinkConnector> & { type: 'sink' })
  | (LazyDescriptorBase<Converter> & { type: 'converter' })
  | (LazyDescriptorBase<HeaderConverter> & { type: 'header_converter' })
  | (LazyDescriptorBase<Transformation> & { type: 'transformation' })
  | (LazyDescriptorBase<Predicate> & { type: 'predicate' });

/** What `PluginRegistry.register` and a plugin package's `tributaryPlugins` accept. */
export type AnyPluginDescriptor = PluginDescriptor | LazyPluginDescriptor;
