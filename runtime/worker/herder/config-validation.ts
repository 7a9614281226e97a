/**
 * Connector config validation as Kafka Connect's AbstractHerder.validateConnectorConfig: the
 * framework's keys, the connector's ConfigDef and validate hook, converters, transforms, topic
 * names, client overrides; and the config views every herder shares (secrets masked, hidden
 * secrets restored on a write, plugin config definitions).
 */
import { ConfigDef, maskSecrets, Password, type ConfigValue, type ConfigKey } from '../../config/config-def.ts';
import type { ConfigProviders } from '../../config/providers.ts';
import { redactText } from '../../config/redaction.ts';
import { BadRequestError, NotFoundError } from '../../errors.ts';
import type { PluginRegistry } from '../../plugins/registry.ts';
import type { PluginDescriptor, PluginType } from '../../plugins/types.ts';
import type { Connector, WorkerContext } from '../../spi/connector.ts';
import { clientOverrideErrors, overridePolicyOf } from '../../transport/client-override-policy.ts';
import { commonConnectorConfigDef, sinkConnectorConfigDef, sourceConnectorConfigDef } from '../connector-config.ts';
import { parseReplayTarget } from '../replay.ts';
import { TopicCreationRules } from '../topic-creation.ts';
import { topicNameErrors } from '../topic-names.ts';
import { transactionBoundaryErrors } from '../transaction-boundary-config.ts';
import { buildTransformationChain } from '../transformation-chain.ts';
import type { WorkerConfig } from '../worker-config.ts';
import { loadConnectorPlugins } from '../plugin-loading.ts';
import type { ConfigInfos, ConfigKeyInfo } from './herder-api.ts';

export interface ConfigValidationDeps {
  worker: WorkerConfig;
  plugins: PluginRegistry;
  providers: ConfigProviders;
  workerContext: WorkerContext;
  /** exactly.once.source.support=enabled (distributed): the transaction keys of source connectors are checked too. */
  exactlyOnce: boolean;
}

export class ConnectorConfigValidator {
  constructor(private readonly deps: ConfigValidationDeps) {}

  /** The framework's keys for the connector's type merged with the connector's own ConfigDef. */
  fullConfigDef(descriptor: PluginDescriptor | undefined): ConfigDef {
    const base =
      descriptor?.type === 'sink'
        ? sinkConnectorConfigDef()
        : descriptor?.type === 'source'
          ? sourceConnectorConfigDef()
          : commonConnectorConfigDef();
    if (descriptor && (descriptor.type === 'source' || descriptor.type === 'sink'))
      base.merge(descriptor.create().config());
    return base;
  }

  /** The config as GET shows it: PASSWORD values hidden. */
  masked(descriptor: PluginDescriptor | undefined, config: Record<string, string>): Record<string, string> {
    return maskSecrets(config, this.fullConfigDef(descriptor));
  }

  /** A GET'ed config echoes secrets as `[hidden]`; PUTting it back must keep the stored secret. */
  restoreHiddenSecrets(
    incoming: Record<string, string>,
    stored: Record<string, string>,
    descriptor: PluginDescriptor | undefined,
  ): Record<string, string> {
    const def = this.fullConfigDef(descriptor);
    const out = { ...incoming };
    for (const [k, v] of Object.entries(out)) {
      if (
        v === Password.HIDDEN &&
        stored[k] !== undefined &&
        maskSecrets({ [k]: stored[k] }, def)[k] === Password.HIDDEN
      )
        out[k] = stored[k];
      // A URL whose password the REST API hid (runtime/config/redaction.ts) keeps the stored password.
      else if (v.includes(Password.HIDDEN) && stored[k] !== undefined && stored[k] !== v && redactText(stored[k]) === v)
        out[k] = stored[k];
    }
    return out;
  }

  /** Refuses a config with any validation error, in Kafka Connect's words. */
  async ensureValid(config: Record<string, string>): Promise<void> {
    const infos = await this.validate(config);
    if (infos.error_count === 0) return;
    const errors = infos.configs.flatMap((c) =>
      c.value.errors.map((m) => `Invalid value for configuration ${c.value.name}: ${m}`),
    );
    const type = config['connector.class'] ?? '<connector.class>';
    throw new BadRequestError(
      `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n${errors.join('\n')}\nYou can also find the above list of errors at the endpoint \`/connector-plugins/${type}/config/validate\``,
    );
  }

  async pluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    const found = this.deps.plugins.findAny(pluginName);
    if (!found) throw new NotFoundError(`Unknown plugin ${pluginName}.`);
    const d = await this.deps.plugins.load(found);
    const def =
      d.type === 'source' || d.type === 'sink' ? d.create().config() : (d.create() as { config(): ConfigDef }).config();
    return [...def.keys.values()].map(toKeyInfo);
  }

  listPlugins(types: PluginType[]): Array<{ class: string; type: PluginType; version: string }> {
    return this.deps.plugins.list(types).map((d) => ({ class: d.className, type: d.type, version: d.version }));
  }

  async validate(config: Record<string, string>, expectedPlugin?: string): Promise<ConfigInfos> {
    await loadConnectorPlugins(this.deps.plugins, config, this.deps.worker);
    const className = config['connector.class'];
    const descriptor = className ? this.deps.plugins.find(className, ['source', 'sink']) : undefined;
    if (expectedPlugin !== undefined) {
      const expected = this.deps.plugins.find(expectedPlugin, ['source', 'sink']);
      if (!expected)
        throw new BadRequestError(
          `Failed to find any class that implements Connector and which name matches ${expectedPlugin}, available connectors are: ${this.deps.plugins
            .list(['source', 'sink'])
            .map((d) => d.className)
            .join(', ')}`,
        );
      if (className !== undefined && expected !== descriptor)
        throw new BadRequestError(`Included connector type ${className} does not match request type ${expectedPlugin}`);
    }
    const def = this.fullConfigDef(descriptor);
    const extraErrors = new Map<string, string[]>();
    const addError = (key: string, msg: string) => extraErrors.set(key, [...(extraErrors.get(key) ?? []), msg]);
    // As Kafka Connect, the values are validated as the connector would see them (placeholders
    // resolved); unlike it, no resolved value is ever echoed: values shown are the raw ones and
    // every message goes through the redactor.
    const transformed = this.deps.providers.transform(config);
    const resolved = transformed.data;
    await loadConnectorPlugins(this.deps.plugins, resolved, this.deps.worker);
    const values: ConfigValue[] = def.validate(resolved);
    if (className && !descriptor)
      addError(
        'connector.class',
        `Failed to find any class that implements Connector and which name matches ${className}. Available connectors: ${this.deps.plugins
          .list(['source', 'sink'])
          .map((d) => d.className)
          .join(', ')}`,
      );
    if (descriptor) {
      const instance = descriptor.create() as Connector;
      if (instance.validate) {
        let validated: ConfigValue[];
        try {
          validated = instance.validate(resolved, this.deps.workerContext);
        } catch (err) {
          // Propagates as Kafka Connect's does, but without a resolved value in its message.
          if (err instanceof Error) err.message = transformed.redact(err.message);
          throw err;
        }
        for (const v of validated) for (const m of v.errorMessages) addError(v.name, m);
      }
      if (descriptor.type === 'sink') {
        const topics = (resolved.topics ?? '').trim();
        const regex = (resolved['topics.regex'] ?? '').trim();
        if (topics && regex)
          addError('topics', 'topics and topics.regex are mutually exclusive options, but both are set.');
        if (!topics && !regex) addError('topics', 'Must configure one of topics or topics.regex');
        if (resolved['tributary.start.timestamp']) {
          try {
            parseReplayTarget(resolved['tributary.start.timestamp'], 'tributary.start.timestamp');
          } catch (err) {
            addError('tributary.start.timestamp', (err as Error).message);
          }
        }
        const dlq = (resolved['errors.deadletterqueue.topic.name'] ?? '').trim();
        if (
          dlq &&
          topics
            .split(',')
            .map((t) => t.trim())
            .includes(dlq)
        )
          addError(
            'errors.deadletterqueue.topic.name',
            `The dead letter queue topic '${dlq}' may not be included in the list of topics ('topics=${topics}') consumed by the connector`,
          );
        if (dlq && regex && new RegExp(`^(?:${regex})$`).test(dlq))
          addError(
            'errors.deadletterqueue.topic.name',
            `The dead letter queue topic '${dlq}' may not be matched by the regex for the topics ('topics.regex=${regex}') consumed by the connector`,
          );
      }
    }
    for (const [key, message] of topicNameErrors(resolved, new Set(def.keys.keys()))) addError(key, message);
    if (descriptor?.type === 'source') {
      try {
        TopicCreationRules.fromConfig(resolved);
      } catch (err) {
        addError((err as { key?: string }).key ?? 'topic.creation.groups', (err as Error).message);
      }
      if (this.deps.exactlyOnce) {
        // As Kafka Connect, these keys matter only on a worker with exactly.once.source.support=enabled.
        for (const [key, message] of transactionBoundaryErrors(
          resolved,
          descriptor.create() as Extract<Connector, { type: 'source' }>,
        ))
          addError(key, message);
        if ((resolved['offsets.storage.topic'] ?? '').trim())
          addError(
            'offsets.storage.topic',
            "A per-connector offsets.storage.topic is not supported yet: remove it (offsets go to the worker's offset.storage.topic)",
          );
        if ((resolved['exactly.once.support'] ?? 'requested').trim() === 'required') {
          const support = (descriptor.create() as Extract<Connector, { type: 'source' }>).exactlyOnceSupport?.(
            resolved,
          );
          if (support !== 'SUPPORTED')
            addError(
              'exactly.once.support',
              `The connector does not ${support === 'UNSUPPORTED' ? 'support' : 'declare support for'} exactly-once semantics with this configuration, but exactly.once.support=required`,
            );
        }
      }
    }
    for (const { key, message } of clientOverrideErrors(
      resolved,
      overridePolicyOf(this.deps.worker.getString('connector.client.config.override.policy')),
    ))
      addError(key, message);
    for (const key of ['key.converter', 'value.converter'] as const) {
      if (resolved[key] && !this.deps.plugins.find(resolved[key], 'converter'))
        addError(key, `Failed to find any class that implements Converter and which name matches ${resolved[key]}`);
    }
    if (
      resolved['header.converter'] &&
      !this.deps.plugins.find(resolved['header.converter'], ['header_converter', 'converter'])
    )
      addError(
        'header.converter',
        `Failed to find any class that implements HeaderConverter and which name matches ${resolved['header.converter']}`,
      );
    try {
      buildTransformationChain(resolved, this.deps.plugins).close();
    } catch (err) {
      const key = (err as { key?: string }).key ?? 'transforms';
      addError(def.keys.has(key) ? key : 'transforms', (err as Error).message);
    }
    // A message about a key whose value came from a provider could show the value, or something
    // derived from it (a normalised path): it names the key, the placeholder and what is expected.
    const messagesOf = (key: string, messages: string[]) =>
      messages.map((m) => {
        if (!transformed.resolvedKeys.has(key)) return transformed.redact(m);
        const k = def.keys.get(key);
        const expected = k
          ? ` (expected: ${k.type}${k.validator?.description ? `, valid values ${k.validator.description}` : ''})`
          : '';
        return `Invalid value ${config[key]} for configuration ${key}: the value its config provider resolved is refused${expected}; the reason is not shown because it would reveal the resolved value`;
      });
    const configs = values.map((v) => {
      const key = def.keys.get(v.name)!;
      const errors = messagesOf(v.name, [...v.errorMessages, ...(extraErrors.get(v.name) ?? [])]);
      extraErrors.delete(v.name);
      const raw = config[v.name];
      const shown =
        key.type === 'PASSWORD'
          ? raw === undefined
            ? null
            : Password.HIDDEN
          : (raw ?? (v.value === null || v.value === undefined ? null : stringifyValue(v.value)));
      return {
        definition: toKeyInfo(key),
        value: {
          name: v.name,
          value: shown,
          recommended_values: v.recommendedValues.map(String),
          errors,
          visible: v.visible,
        },
      };
    });
    for (const [name, errors] of extraErrors) {
      configs.push({
        definition: {
          name,
          type: 'STRING',
          required: false,
          default_value: null,
          importance: 'LOW',
          documentation: '',
          group: null,
          order: -1,
          width: 'NONE',
          display_name: name,
          dependents: [],
        },
        value: {
          name,
          value: config[name] ?? null,
          recommended_values: [],
          errors: messagesOf(name, errors),
          visible: true,
        },
      });
    }
    return {
      name: descriptor?.className ?? className ?? '',
      error_count: configs.reduce((n, c) => n + c.value.errors.length, 0),
      groups: [...def.groups],
      configs,
    };
  }
}

function stringifyValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

export function toKeyInfo(key: ConfigKey): ConfigKeyInfo {
  const dv = key.defaultValue;
  return {
    name: key.name,
    type: key.type,
    required: typeof dv === 'symbol',
    default_value:
      typeof dv === 'symbol' || dv === null || dv === undefined
        ? null
        : key.type === 'PASSWORD'
          ? Password.HIDDEN
          : stringifyValue(dv),
    importance: key.importance,
    documentation: key.documentation,
    group: key.group ?? null,
    order: key.orderInGroup,
    width: key.width,
    display_name: key.displayName,
    dependents: key.dependents,
  };
}
