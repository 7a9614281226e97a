/**
 * What the schema-registry converters (Avro, Protobuf) share: `config()`, `version()`, and the part
 * of `configure` common to both (serde settings, `schemas.cache.size` applied to the writer cache);
 * each format reads its own keys in `configureFormat` and builds its writers in `buildWriter`.
 */
import { type ConfigDef, ParsedConfig } from '../config/config-def.ts';
import type { Schema } from '../data/schema.ts';
import { serdeSettings, type SerdeSettings } from '../schema-registry/serde-config.ts';
import { WriterCache } from '../schema-registry/writer-cache.ts';

export abstract class RegistryConverterBase<W> {
  protected isKey = false;
  protected serde!: SerdeSettings;
  protected cacheSize = 1000;
  protected readonly writers = new WriterCache<W>((topic, schema) => this.buildWriter(topic, schema));

  protected constructor(private readonly configDef: ConfigDef) {}

  config(): ConfigDef {
    return this.configDef;
  }

  version(): string {
    return '1.0.0';
  }

  configure(configs: Record<string, string>, isKey: boolean): void {
    const c = new ParsedConfig(this.configDef, configs);
    this.isKey = isKey;
    this.serde = serdeSettings(c, isKey);
    this.cacheSize = c.getInt('schemas.cache.size');
    this.writers.limit = this.cacheSize;
    this.configureFormat(c);
  }

  /** Reads the format's own keys (called by configure after the shared ones). */
  protected abstract configureFormat(c: ParsedConfig): void;

  /** The writer of a Connect schema on a topic: registers (or looks up) its schema in the registry. */
  protected abstract buildWriter(topic: string, schema: Schema): Promise<W>;
}
