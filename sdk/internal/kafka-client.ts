/** Kafka client settings (bootstrap servers, SSL/SASL) read as the worker reads its own. For the built-in connectors and transforms only: not part of `tributary/sdk`, not semver-stable. */
export { KAFKA_CLIENT_SECURITY_KEYS, kafkaClientConfig } from '../../runtime/transport/kafka-client-config.ts';
