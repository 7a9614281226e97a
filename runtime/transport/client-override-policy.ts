/**
 * Kafka Connect's connector.client.config.override.policy (ConnectorClientConfigOverridePolicy):
 * which `producer.override.*` / `consumer.override.*` / `admin.override.*` keys a connector may
 * set. All (the default since Kafka 3.0) allows every key, None none, Principal only the login
 * keys (sasl.jaas.config, sasl.mechanism, security.protocol). Keys a policy allows must still be
 * ones the Kafka transport honours (kafka-client-settings.ts).
 */
import { ConfigException } from '../errors.ts';
import { clientSettingErrors, withPrefix, type ClientKind } from './kafka-client-settings.ts';

export const OVERRIDE_POLICIES = ['All', 'None', 'Principal'] as const;
export type OverridePolicy = (typeof OVERRIDE_POLICIES)[number];

const PRINCIPAL_KEYS = new Set(['sasl.jaas.config', 'sasl.mechanism', 'security.protocol']);

/** The policy named by the worker key; Kafka Connect also accepts the class names. */
export function overridePolicyOf(value: string | undefined): OverridePolicy {
  const name = (value ?? 'All').trim();
  const simple = name
    .replace(/^org\.apache\.kafka\.connect\.connector\.policy\./, '')
    .replace(/ConnectorClientConfigOverridePolicy$/, '');
  const found = OVERRIDE_POLICIES.find((p) => p === simple);
  if (!found)
    throw new ConfigException(
      `Invalid value ${name} for configuration connector.client.config.override.policy: use All, None or Principal`,
      { key: 'connector.client.config.override.policy' },
    );
  return found;
}

function allowed(policy: OverridePolicy, name: string): boolean {
  if (policy === 'All') return true;
  if (policy === 'None') return false;
  return PRINCIPAL_KEYS.has(name);
}

const PREFIXES: Record<ClientKind, string> = {
  producer: 'producer.override.',
  consumer: 'consumer.override.',
  admin: 'admin.override.',
};

/**
 * Every problem with a connector config's client overrides: the policy's refusals (Kafka
 * Connect's message) first, then keys or values the transport cannot honour.
 */
export function clientOverrideErrors(
  connectorConfig: Record<string, string>,
  policy: OverridePolicy,
  kinds: ClientKind[] = ['producer', 'consumer', 'admin'],
): Array<{ key: string; message: string }> {
  const errors: Array<{ key: string; message: string }> = [];
  for (const kind of kinds) {
    const prefix = PREFIXES[kind];
    const overrides = withPrefix(connectorConfig, prefix);
    const permitted: Record<string, string> = {};
    for (const [name, value] of Object.entries(overrides)) {
      if (allowed(policy, name)) permitted[name] = value;
      else
        errors.push({
          key: prefix + name,
          message: `The '${policy}' policy does not allow '${name}' to be overridden in the connector configuration.`,
        });
    }
    if (kind === 'admin') {
      for (const name of Object.keys(permitted))
        errors.push({
          key: prefix + name,
          message: `${prefix + name}: per-connector admin clients are not supported by the Kafka transport; the worker's admin client creates topics (set admin.${name} on the worker instead)`,
        });
    } else {
      errors.push(...clientSettingErrors(kind, permitted, prefix));
    }
  }
  return errors;
}

/** A connector's overrides of one client kind, prefix stripped; throws when the policy or the transport refuses one (as Worker.connectorClientConfigOverrides). */
export function clientOverrides(
  connectorConfig: Record<string, string>,
  kind: ClientKind,
  policy: OverridePolicy,
): Record<string, string> {
  const errors = clientOverrideErrors(connectorConfig, policy, [kind]);
  if (errors.length > 0)
    throw new ConfigException(`Client Config Overrides not allowed: ${errors.map((e) => e.message).join('; ')}`, {
      key: errors[0].key,
    });
  return withPrefix(connectorConfig, PREFIXES[kind]);
}
