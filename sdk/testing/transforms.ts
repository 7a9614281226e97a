/**
 * Runs a transform chain configured as in a connector config (`transforms=a,b`,
 * `transforms.a.type=…`, predicates too) over records built from JSON, with the worker's own chain
 * builder: the same validation errors, the same predicate and negate handling.
 */
import { PluginRegistry } from '../../runtime/plugins/registry.ts';
import type { PluginDescriptor } from '../../runtime/plugins/types.ts';
import { buildTransformationChain, type TransformationChain } from '../../runtime/worker/transformation-chain.ts';
import type { SourceRecord } from '../../runtime/data/records.ts';
import { recordToJson, sourceRecordFromJson, type JsonOptions, type JsonRecord } from './json-records.ts';

/** A transform chain to run: the plugins it may use and its connector-config keys. */
export interface TransformRun extends JsonOptions {
  /** The plugins the chain may name (your package's `tributaryPlugins`, plus any others it uses). */
  plugins: PluginDescriptor[];
  /** The connector config keys of the chain: `transforms`, `transforms.<alias>.*`, `predicates`, … */
  config: Record<string, string>;
}

/** The chain, built and configured (throws the ConfigException a worker would report). */
export function transformChain(run: TransformRun): TransformationChain<SourceRecord> {
  const registry = new PluginRegistry().register(...run.plugins);
  return buildTransformationChain<SourceRecord>(run.config, registry);
}

/** Applies the chain to each JSON record; null where a record was filtered out. */
export function applyTransforms(run: TransformRun, records: JsonRecord[]): Array<JsonRecord | null> {
  const chain = transformChain(run);
  try {
    return records.map((json) => {
      const out = chain.apply(sourceRecordFromJson(json, run));
      return out === null ? null : recordToJson(out, run);
    });
  } finally {
    chain.close();
  }
}
