/**
 * Kafka Connect's topic creation for source connectors (KIP-158): `topic.creation.groups`,
 * `topic.creation.<group>.include|exclude|partitions|replication.factor|<topic config>`, with the
 * implicit `default` group. Enabled when the default group's partitions and replication factor
 * are both set (and the worker's topic.creation.enable is true).
 */
import { ConfigException } from '../errors.ts';
import type { TopicCreationSpec } from '../transport/types.ts';

const PREFIX = 'topic.creation.';

interface Group {
  name: string;
  include: RegExp[];
  exclude: RegExp[];
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function int(config: Record<string, string>, key: string, fallback?: number): number {
  const raw = config[key];
  if (raw === undefined) {
    if (fallback === undefined)
      throw new ConfigException(`Missing required configuration "${key}" for topic creation`, { key });
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || (n < 1 && n !== -1))
    throw new ConfigException(
      `Invalid value ${raw} for configuration ${key}: use a positive integer, or -1 for the broker's default`,
      { key },
    );
  return n;
}

function regexes(config: Record<string, string>, key: string): RegExp[] {
  return list(config[key]).map((r) => {
    try {
      return new RegExp(`^(?:${r})$`);
    } catch (err) {
      throw new ConfigException(`Invalid value ${r} for configuration ${key}: ${(err as Error).message}`, { key });
    }
  });
}

export class TopicCreationRules {
  private constructor(
    private readonly groups: Group[],
    private readonly fallback: Group,
  ) {}

  /** Null when topic creation is not enabled for this connector. */
  static fromConfig(config: Record<string, string>, workerEnabled = true): TopicCreationRules | null {
    const hasPartitions = config[`${PREFIX}default.partitions`] !== undefined;
    const hasRf = config[`${PREFIX}default.replication.factor`] !== undefined;
    if (!hasPartitions && !hasRf) return null;
    if (hasPartitions !== hasRf) {
      const missing = hasPartitions ? 'replication.factor' : 'partitions';
      throw new ConfigException(
        `Topic creation needs both topic.creation.default.partitions and topic.creation.default.replication.factor; set topic.creation.default.${missing}`,
        { key: `${PREFIX}default.${missing}` },
      );
    }
    if (!workerEnabled) return null;
    const groupConfig = (name: string, defaults?: Group): Group => {
      const p = `${PREFIX}${name}.`;
      const configs: Record<string, string> = { ...(defaults?.configs ?? {}) };
      for (const [k, v] of Object.entries(config)) {
        if (!k.startsWith(p)) continue;
        const sub = k.slice(p.length);
        if (!['include', 'exclude', 'partitions', 'replication.factor'].includes(sub)) configs[sub] = v;
      }
      return {
        name,
        include: regexes(config, `${p}include`),
        exclude: regexes(config, `${p}exclude`),
        partitions: int(config, `${p}partitions`, defaults?.partitions),
        replicationFactor: int(config, `${p}replication.factor`, defaults?.replicationFactor),
        configs,
      };
    };
    const fallback = groupConfig('default');
    const groups = list(config[`${PREFIX}groups`])
      .filter((g) => g !== 'default')
      .map((g) => {
        const group = groupConfig(g, fallback);
        if (group.include.length === 0)
          throw new ConfigException(
            `Topic creation group "${g}" needs topic.creation.${g}.include (regular expressions of the topics it applies to)`,
            { key: `${PREFIX}${g}.include` },
          );
        return group;
      });
    return new TopicCreationRules(groups, fallback);
  }

  specFor(topic: string): TopicCreationSpec {
    const g =
      this.groups.find((x) => x.include.some((r) => r.test(topic)) && !x.exclude.some((r) => r.test(topic))) ??
      this.fallback;
    return { partitions: g.partitions, replicationFactor: g.replicationFactor, configs: g.configs };
  }
}
