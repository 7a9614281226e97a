/**
 * Builds the SMT chain from a connector config exactly as Kafka Connect does: `transforms=a,b`,
 * `transforms.a.type`, `transforms.a.<key>`, `transforms.a.predicate`, `transforms.a.negate`,
 * `predicates=p`, `predicates.p.type`, `predicates.p.<key>`.
 */
import { ConfigException } from '../errors.ts';
import type { AnyRecord, Predicate, Transformation } from '../spi/transformation.ts';
import type { PluginRegistry } from '../plugins/registry.ts';

export interface ChainStage {
  alias: string;
  transformation: Transformation;
  predicate: Predicate | null;
  negate: boolean;
}

export class TransformationChain<R extends AnyRecord = AnyRecord> {
  constructor(readonly stages: readonly ChainStage[]) {}

  static empty<R extends AnyRecord>(): TransformationChain<R> {
    return new TransformationChain<R>([]);
  }

  /** Applies each stage in order; null means the record was filtered out. */
  apply(record: R, onStage?: (alias: string) => void): R | null {
    let current: R | null = record;
    for (const stage of this.stages) {
      if (current === null) return null;
      onStage?.(stage.alias);
      if (stage.predicate && stage.predicate.test(current) === stage.negate) continue;
      current = stage.transformation.apply(current) as R | null;
    }
    return current;
  }

  close(): void {
    for (const s of this.stages) {
      s.transformation.close?.();
      s.predicate?.close?.();
    }
  }
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function subConfig(config: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** Validates and instantiates the chain; all problems are reported with the key to fix. */
export function buildTransformationChain<R extends AnyRecord>(
  config: Record<string, string>,
  plugins: PluginRegistry,
): TransformationChain<R> {
  const transformAliases = list(config.transforms);
  const predicateAliases = list(config.predicates);
  for (const [aliases, key] of [
    [transformAliases, 'transforms'],
    [predicateAliases, 'predicates'],
  ] as const) {
    const dup = aliases.find((a, i) => aliases.indexOf(a) !== i);
    if (dup)
      throw new ConfigException(`Duplicate alias provided in ${key}: "${dup}". Aliases must be unique.`, { key });
  }
  const predicates = new Map<string, Predicate>();
  for (const alias of predicateAliases) {
    const prefix = `predicates.${alias}.`;
    const type = config[`${prefix}type`];
    if (!type)
      throw new ConfigException(
        `Missing required configuration "${prefix}type": name the predicate class for alias "${alias}" (e.g. org.apache.kafka.connect.transforms.predicates.TopicNameMatches)`,
        { key: `${prefix}type` },
      );
    const predicate = plugins.get(type, 'predicate').create();
    const props = subConfig(config, prefix);
    delete props.type;
    predicate.config().parse(props);
    predicate.configure(props);
    predicates.set(alias, predicate);
  }
  const used = new Set<string>();
  const stages: ChainStage[] = [];
  for (const alias of transformAliases) {
    const prefix = `transforms.${alias}.`;
    const type = config[`${prefix}type`];
    if (!type)
      throw new ConfigException(
        `Missing required configuration "${prefix}type": name the transformation class for alias "${alias}" (e.g. org.apache.kafka.connect.transforms.InsertField$Value)`,
        { key: `${prefix}type` },
      );
    const props = subConfig(config, prefix);
    const predicateAlias = props.predicate;
    const negateRaw = props.negate;
    delete props.type;
    delete props.predicate;
    delete props.negate;
    if (negateRaw !== undefined && predicateAlias === undefined) {
      throw new ConfigException(
        `Config "${prefix}negate" is set but "${prefix}predicate" is not: negate only makes sense together with a predicate`,
        { key: `${prefix}negate` },
      );
    }
    if (negateRaw !== undefined && !/^(true|false)$/i.test(negateRaw.trim())) {
      throw new ConfigException(
        `Invalid value ${negateRaw} for configuration ${prefix}negate: Expected value to be either true or false`,
        { key: `${prefix}negate` },
      );
    }
    let predicate: Predicate | null = null;
    if (predicateAlias !== undefined) {
      predicate = predicates.get(predicateAlias) ?? null;
      if (!predicate)
        throw new ConfigException(
          `Transform "${alias}" names predicate "${predicateAlias}", which is not listed in "predicates" (${predicateAliases.join(',') || 'empty'})`,
          { key: `${prefix}predicate` },
        );
      used.add(predicateAlias);
    }
    const transformation = plugins.get(type, 'transformation').create();
    transformation.config().parse(props);
    transformation.configure(props);
    stages.push({ alias, transformation, predicate, negate: (negateRaw ?? 'false').trim().toLowerCase() === 'true' });
  }
  return new TransformationChain<R>(stages);
}
