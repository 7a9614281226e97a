/**
 * Maps Kafka client settings as Kafka Connect users write them (`bootstrap.servers`,
 * `security.protocol`, `sasl.mechanism`, `sasl.jaas.config`) onto a kafkajs client config.
 */
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { ConfigException } from '../errors.ts';

const JAAS = /username\s*=\s*"([^"]*)"[\s\S]*?password\s*=\s*"([^"]*)"/;

export function kafkaClientConfig(props: Record<string, string>, clientId: string): KafkaConfig {
  const brokers = (props['bootstrap.servers'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (brokers.length === 0) throw new ConfigException('bootstrap.servers is empty: list the Kafka brokers, e.g. localhost:9092', { key: 'bootstrap.servers' });
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new ConfigException(`Invalid value ${protocol} for configuration security.protocol: use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL`, { key: 'security.protocol' });
  }
  for (const k of ['ssl.truststore.location', 'ssl.keystore.location']) {
    if (props[k]) throw new ConfigException(`${k}: Java keystores are not supported; the Kafka transport trusts the system CA store (set NODE_EXTRA_CA_CERTS to a PEM file to add a CA)`, { key: k });
  }
  const config: KafkaConfig = { clientId, brokers, ssl: protocol === 'SSL' || protocol === 'SASL_SSL' };
  if (protocol.startsWith('SASL')) {
    const mechanism = (props['sasl.mechanism'] ?? 'PLAIN').toUpperCase();
    const m = JAAS.exec(props['sasl.jaas.config'] ?? '');
    if (!m) throw new ConfigException('sasl.jaas.config must carry username="…" password="…" (e.g. org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";)', { key: 'sasl.jaas.config' });
    const creds = { username: m[1], password: m[2] };
    let sasl: SASLOptions;
    if (mechanism === 'PLAIN') sasl = { mechanism: 'plain', ...creds };
    else if (mechanism === 'SCRAM-SHA-256') sasl = { mechanism: 'scram-sha-256', ...creds };
    else if (mechanism === 'SCRAM-SHA-512') sasl = { mechanism: 'scram-sha-512', ...creds };
    else throw new ConfigException(`Invalid value ${mechanism} for configuration sasl.mechanism: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`, { key: 'sasl.mechanism' });
    config.sasl = sasl;
  }
  return config;
}
