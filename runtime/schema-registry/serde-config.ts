/**
 * The schema-registry settings shared by the Avro and Protobuf converters, with Confluent's key
 * names and defaults (AbstractKafkaSchemaSerDeConfig). Settings Tributary does not implement
 * (bearer auth, proxies) are rejected instead of ignored.
 */
import { ConfigDef, type Validator } from '../config/config-def.ts';
import { ConfigException } from '../errors.ts';
import type { SchemaRegistryClient } from './registry-client.ts';
import { sharedRegistryClient } from './shared-clients.ts';
import { subjectNameStrategy, type SubjectNameStrategy } from './subject-name-strategy.ts';
import { defineRegistryTlsConfig, registryTls } from './registry-tls.ts';
import type { ParsedConfig } from '../config/config-def.ts';

const TOPIC_NAME_STRATEGY = 'io.confluent.kafka.serializers.subject.TopicNameStrategy';

const credentialsSource: Validator = {
  description: '[URL, USER_INFO]',
  ensureValid(name, value) {
    const v = String(value).toUpperCase();
    if (v === 'SASL_INHERIT')
      throw new ConfigException(
        `Invalid value ${String(value)} for configuration ${name}: SASL_INHERIT is not supported; use USER_INFO with basic.auth.user.info=<user>:<password>, or URL with credentials in schema.registry.url`,
        { key: name },
      );
    if (v !== 'URL' && v !== 'USER_INFO')
      throw new ConfigException(`Invalid value ${String(value)} for configuration ${name}: must be URL or USER_INFO`, {
        key: name,
      });
  },
};

const strategyValidator: Validator = {
  description:
    'TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy (io.confluent.kafka.serializers.subject.*)',
  ensureValid(name, value) {
    subjectNameStrategy(name, String(value));
  },
};

const urlList: Validator = {
  description: 'comma-separated http(s) URLs',
  ensureValid(name, value) {
    const urls = value as string[];
    if (urls.length === 0)
      throw new ConfigException(
        `Invalid value for configuration ${name}: at least one schema registry URL is required, e.g. http://localhost:8081`,
        { key: name },
      );
    for (const u of urls) {
      if (!/^https?:\/\/[^\s]+$/i.test(u))
        throw new ConfigException(
          `Invalid value ${u.replace(/\/\/[^@/]*@/, '//[hidden]@')} for configuration ${name}: expected an http:// or https:// URL`,
          { key: name },
        );
    }
  },
};

/** Adds the registry keys to a converter's ConfigDef. */
export function defineSerdeConfig(def: ConfigDef): ConfigDef {
  return def
    .define({
      name: 'schema.registry.url',
      type: 'LIST',
      importance: 'HIGH',
      validator: urlList,
      group: 'Schema Registry',
      documentation:
        'Comma-separated list of URLs for Schema Registry instances that can be used to register or look up schemas. Several URLs fail over in order.',
    })
    .define({
      name: 'auto.register.schemas',
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'MEDIUM',
      group: 'Schema Registry',
      documentation: 'Specify if the Serializer should attempt to register the Schema with Schema Registry.',
    })
    .define({
      name: 'use.latest.version',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      group: 'Schema Registry',
      documentation:
        'Specify if the Serializer should use the latest subject version for serialization. Requires auto.register.schemas=false.',
    })
    .define({
      name: 'latest.compatibility.strict',
      type: 'BOOLEAN',
      defaultValue: true,
      importance: 'LOW',
      group: 'Schema Registry',
      documentation:
        "With use.latest.version, check that the latest subject version can read data written with the schema of the record being serialized. Avro data is always resolved into the latest schema, so for Avro the check is made either way; for Protobuf the latest schema must contain the record's message.",
    })
    .define({
      name: 'use.schema.id',
      type: 'INT',
      defaultValue: -1,
      importance: 'LOW',
      group: 'Schema Registry',
      documentation: 'Schema id to use for serialization (-1: none). Requires auto.register.schemas=false.',
    })
    .define({
      name: 'normalize.schemas',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      group: 'Schema Registry',
      documentation: 'Whether to ask the registry to normalize schemas when registering or looking them up.',
    })
    .define({
      name: 'max.schemas.per.subject',
      type: 'INT',
      defaultValue: 1000,
      importance: 'LOW',
      group: 'Schema Registry',
      documentation:
        "Accepted for compatibility with Confluent's serializers; Tributary bounds its converter caches with schemas.cache.size.",
    })
    .define({
      name: 'key.subject.name.strategy',
      type: 'CLASS',
      defaultValue: TOPIC_NAME_STRATEGY,
      importance: 'MEDIUM',
      validator: strategyValidator,
      group: 'Schema Registry',
      documentation:
        'Determines how to construct the subject name under which the key schema is registered with the schema registry.',
    })
    .define({
      name: 'value.subject.name.strategy',
      type: 'CLASS',
      defaultValue: TOPIC_NAME_STRATEGY,
      importance: 'MEDIUM',
      validator: strategyValidator,
      group: 'Schema Registry',
      documentation:
        'Determines how to construct the subject name under which the value schema is registered with the schema registry.',
    })
    .define({
      name: 'basic.auth.credentials.source',
      type: 'STRING',
      defaultValue: 'URL',
      importance: 'MEDIUM',
      validator: credentialsSource,
      group: 'Schema Registry',
      documentation:
        'Where HTTP basic auth credentials come from: URL (user info in schema.registry.url) or USER_INFO (basic.auth.user.info).',
    })
    .define({
      name: 'basic.auth.user.info',
      type: 'PASSWORD',
      defaultValue: '',
      importance: 'MEDIUM',
      group: 'Schema Registry',
      documentation:
        'Basic user info in the form <user>:<password>, used with basic.auth.credentials.source=USER_INFO.',
    })
    .define({
      name: 'schema.registry.basic.auth.user.info',
      type: 'PASSWORD',
      defaultValue: '',
      importance: 'MEDIUM',
      group: 'Schema Registry',
      documentation: 'Deprecated name of basic.auth.user.info (used when that is empty).',
    })
    .define({
      name: 'schema.registry.request.timeout.ms',
      type: 'INT',
      defaultValue: 30000,
      importance: 'LOW',
      group: 'Schema Registry',
      documentation: 'How long one request to the registry may take before the next URL (or a retriable failure).',
    })
    .merge(defineRegistryTlsConfig(new ConfigDef()));
}

/** Keys of Confluent serdes that Tributary does not implement: setting one is an error, never ignored. */
const UNSUPPORTED_PREFIXES: Array<[RegExp, string]> = [
  [/^bearer\.auth\./, 'bearer-token authentication is not supported; use basic.auth.credentials.source=USER_INFO'],
  [/^proxy\.(host|port)$/, 'HTTP proxies are not supported'],
  [/^context\.name\.strategy$/, 'schema contexts are not supported'],
  [/^reference\.subject\.name\.strategy$/, 'only the default reference subject naming (the import path) is supported'],
];

export function rejectUnsupportedSerdeKeys(configs: Record<string, string>): void {
  for (const key of Object.keys(configs)) {
    for (const [re, why] of UNSUPPORTED_PREFIXES) {
      if (re.test(key)) throw new ConfigException(`Unsupported converter configuration ${key}: ${why}`, { key });
    }
  }
}

export interface SerdeSettings {
  client: SchemaRegistryClient;
  subjectFor: SubjectNameStrategy;
  autoRegister: boolean;
  useLatestVersion: boolean;
  latestCompatibilityStrict: boolean;
  useSchemaId: number;
  normalize: boolean;
}

export function serdeSettings(c: ParsedConfig, isKey: boolean): SerdeSettings {
  rejectUnsupportedSerdeKeys(c.originals);
  const source = c.getString('basic.auth.credentials.source').toUpperCase();
  const userInfo =
    c.getPassword('basic.auth.user.info')?.value || c.getPassword('schema.registry.basic.auth.user.info')?.value || '';
  if (source === 'USER_INFO' && !userInfo) {
    throw new ConfigException('basic.auth.credentials.source=USER_INFO needs basic.auth.user.info=<user>:<password>', {
      key: 'basic.auth.user.info',
    });
  }
  if (source === 'USER_INFO' && !userInfo.includes(':')) {
    throw new ConfigException(
      'Invalid value [hidden] for configuration basic.auth.user.info: expected <user>:<password>',
      { key: 'basic.auth.user.info' },
    );
  }
  const autoRegister = c.getBoolean('auto.register.schemas');
  const useLatestVersion = c.getBoolean('use.latest.version');
  const useSchemaId = c.getInt('use.schema.id');
  if (useLatestVersion && autoRegister) {
    throw new ConfigException(
      "use.latest.version=true requires auto.register.schemas=false (as Confluent's serializers): set auto.register.schemas=false",
      { key: 'use.latest.version' },
    );
  }
  if (useSchemaId >= 0 && autoRegister) {
    throw new ConfigException('use.schema.id requires auto.register.schemas=false', { key: 'use.schema.id' });
  }
  const strategyKey = isKey ? 'key.subject.name.strategy' : 'value.subject.name.strategy';
  return {
    client: sharedRegistryClient({
      urls: c.getList('schema.registry.url'),
      userInfo: source === 'USER_INFO' ? userInfo : undefined,
      requestTimeoutMs: c.getInt('schema.registry.request.timeout.ms'),
      tls: registryTls(c.originals),
    }),
    subjectFor: subjectNameStrategy(strategyKey, c.getString(strategyKey)),
    autoRegister,
    useLatestVersion,
    latestCompatibilityStrict: c.getBoolean('latest.compatibility.strict'),
    useSchemaId,
    normalize: c.getBoolean('normalize.schemas'),
  };
}
