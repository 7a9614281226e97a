/**
 * Maps Kafka client settings as Kafka Connect users write them (`bootstrap.servers`,
 * `security.protocol`, `sasl.mechanism`, `sasl.jaas.config`, `ssl.truststore.*`, `ssl.keystore.*`,
 * `ssl.endpoint.identification.algorithm`) onto a kafkajs client config. A client of a role
 * (producer, consumer, admin) reads `<role>.`-prefixed keys over the plain ones, as the worker's
 * `producer.*` / `consumer.*` / `admin.*` settings; unlike Kafka Connect, the plain security keys
 * also apply to those clients, so a worker never falls back to plaintext for one of them.
 */
import net from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
import type { ISocketFactory, KafkaConfig, SASLOptions } from 'kafkajs';
import { ConfigException } from '../errors.ts';
import { readKeyStore, readTrustStore } from '../tls/key-stores.ts';
import { describeTlsFailure, type TlsContext } from '../tls/tls-errors.ts';

const JAAS = /username\s*=\s*"([^"]*)"[\s\S]*?password\s*=\s*"([^"]*)"/;

export type KafkaClientRole = 'producer' | 'consumer' | 'admin';

/** The security keys kafkaClientConfig reads (for pass-through and per-client override lists). */
export const KAFKA_CLIENT_SECURITY_KEYS = [
  'security.protocol',
  'sasl.mechanism',
  'sasl.jaas.config',
  'ssl.truststore.location',
  'ssl.truststore.password',
  'ssl.truststore.type',
  'ssl.truststore.certificates',
  'ssl.keystore.location',
  'ssl.keystore.password',
  'ssl.keystore.type',
  'ssl.key.password',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.endpoint.identification.algorithm',
] as const;

/** Reads a key, preferring its `<role>.` form; `name` says which key the value came from. */
function reader(props: Record<string, string>, role: KafkaClientRole | undefined) {
  const name = (k: string): string => (role && props[`${role}.${k}`] !== undefined ? `${role}.${k}` : k);
  const get = (k: string): string | undefined => {
    const v = props[name(k)];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  return { name, get, has: (k: string) => props[name(k)] !== undefined };
}

export function kafkaClientConfig(
  props: Record<string, string>,
  clientId: string,
  role?: KafkaClientRole,
): KafkaConfig {
  const r = reader(props, role);
  const brokers = (r.get('bootstrap.servers') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (brokers.length === 0)
    throw new ConfigException(`${r.name('bootstrap.servers')} is empty: list the Kafka brokers, e.g. localhost:9092`, {
      key: r.name('bootstrap.servers'),
    });
  const protocol = (r.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new ConfigException(
      `Invalid value ${protocol} for configuration ${r.name('security.protocol')}: use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL`,
      { key: r.name('security.protocol') },
    );
  }
  const config: KafkaConfig = { clientId, brokers };
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const { options, context } = sslOptions(r);
    config.ssl = options;
    config.socketFactory = explainingSocketFactory(context);
  } else {
    for (const k of ['ssl.truststore.location', 'ssl.keystore.location']) {
      if (r.get(k))
        throw new ConfigException(
          `${r.name(k)} is set but ${r.name('security.protocol')}=${protocol} does not use TLS: set ${r.name('security.protocol')}=${protocol === 'PLAINTEXT' ? 'SSL' : 'SASL_SSL'}, or remove ${r.name(k)}`,
          { key: r.name(k) },
        );
    }
  }
  if (protocol.startsWith('SASL')) config.sasl = saslOptions(r);
  return config;
}

function saslOptions(r: ReturnType<typeof reader>): SASLOptions {
  const mechanism = (r.get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
  const m = JAAS.exec(r.get('sasl.jaas.config') ?? '');
  const jaasKey = r.name('sasl.jaas.config');
  if (!['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'].includes(mechanism)) {
    throw new ConfigException(
      `Invalid value ${mechanism} for configuration ${r.name('sasl.mechanism')}: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (GSSAPI and OAUTHBEARER are not supported)`,
      { key: r.name('sasl.mechanism') },
    );
  }
  if (!m) {
    const module =
      mechanism === 'PLAIN'
        ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
        : 'org.apache.kafka.common.security.scram.ScramLoginModule';
    throw new ConfigException(
      `${jaasKey} must carry username="…" password="…" (e.g. ${module} required username="u" password="p";)`,
      { key: jaasKey },
    );
  }
  const creds = { username: m[1], password: m[2] };
  if (mechanism === 'PLAIN') return { mechanism: 'plain', ...creds };
  if (mechanism === 'SCRAM-SHA-256') return { mechanism: 'scram-sha-256', ...creds };
  return { mechanism: 'scram-sha-512', ...creds };
}

/** tls.connect options from Kafka's ssl.* keys (trust and key stores as PKCS12 or PEM, files or inline PEM). */
function sslOptions(r: ReturnType<typeof reader>): {
  options: ConnectionOptions;
  context: Omit<TlsContext, 'server' | 'host'>;
} {
  const options: ConnectionOptions = { rejectUnauthorized: true };
  const trustType = r.get('ssl.truststore.type');
  const trustLocation = r.get('ssl.truststore.location');
  const trustInline = r.get('ssl.truststore.certificates');
  if (trustLocation) {
    options.ca = readTrustStore({
      key: r.name('ssl.truststore.location'),
      path: trustLocation,
      type: trustType,
      typeKey: r.name('ssl.truststore.type'),
      password: r.get('ssl.truststore.password'),
      passwordKey: r.name('ssl.truststore.password'),
    });
  } else if (trustInline) {
    options.ca = trustInline;
  }
  const keyLocation = r.get('ssl.keystore.location');
  const keyPassword = r.get('ssl.key.password');
  if (keyLocation) {
    const id = readKeyStore(
      {
        key: r.name('ssl.keystore.location'),
        path: keyLocation,
        type: r.get('ssl.keystore.type'),
        typeKey: r.name('ssl.keystore.type'),
        password: r.get('ssl.keystore.password'),
        passwordKey: r.name('ssl.keystore.password'),
      },
      { key: r.name('ssl.key.password'), value: keyPassword },
    );
    options.cert = id.cert;
    options.key = id.key;
    if (id.passphrase) options.passphrase = id.passphrase;
  } else if (r.get('ssl.keystore.key') || r.get('ssl.keystore.certificate.chain')) {
    if (!r.get('ssl.keystore.key') || !r.get('ssl.keystore.certificate.chain')) {
      throw new ConfigException(
        `${r.name('ssl.keystore.key')} and ${r.name('ssl.keystore.certificate.chain')} go together: set both (PEM)`,
        { key: r.name('ssl.keystore.key') },
      );
    }
    options.key = r.get('ssl.keystore.key');
    options.cert = r.get('ssl.keystore.certificate.chain');
    if (keyPassword) options.passphrase = keyPassword;
  }
  // Kafka's default is https (host name checked); an empty value turns the check off.
  const algorithmKey = r.name('ssl.endpoint.identification.algorithm');
  const algorithm = r.has('ssl.endpoint.identification.algorithm')
    ? (r.get('ssl.endpoint.identification.algorithm') ?? '')
    : 'https';
  if (algorithm !== '' && algorithm.toLowerCase() !== 'https') {
    throw new ConfigException(
      `Invalid value ${algorithm} for configuration ${algorithmKey}: use https (check the broker's host name) or an empty value (do not)`,
      { key: algorithmKey },
    );
  }
  if (algorithm === '') options.checkServerIdentity = () => undefined;
  return {
    options,
    context: {
      caKey: trustLocation || !trustInline ? r.name('ssl.truststore.location') : r.name('ssl.truststore.certificates'),
      caValue: trustLocation ?? (trustInline ? '(inline PEM)' : null),
      modeKey: algorithmKey,
      mode: algorithm || '(empty)',
      noHostCheck: `set ${algorithmKey}= (empty) to skip the host name check`,
      clientCertKey: r.name('ssl.keystore.location'),
    },
  };
}

/**
 * kafkajs's own socket factory, with TLS failures rewritten into a message naming the broker and
 * the key to fix (kafkajs reports them as "Connection error: <OpenSSL reason>").
 */
function explainingSocketFactory(context: Omit<TlsContext, 'server' | 'host'>): ISocketFactory {
  return ({ host, port, ssl, onConnect }) => {
    const socket = tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect);
    const emit = socket.emit.bind(socket);
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'error' && args[0] instanceof Error) {
        const clear = describeTlsFailure(args[0], { ...context, server: `Kafka broker ${host}:${port}`, host });
        if (clear) args[0].message = clear;
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
    return socket;
  };
}
