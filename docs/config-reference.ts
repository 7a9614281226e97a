/**
 * Renders docs/configuration.md from the ConfigDefs themselves, so the reference cannot drift:
 * `npx tsx docs/config-reference.ts > docs/configuration.md` (a test checks it is current).
 */
import { ConfigDef } from '../runtime/config/config-def.ts';
import { DISTRIBUTED_CONFIG_DEF } from '../runtime/distributed/distributed-config.ts';
import { WORKER_CONFIG_DEF } from '../runtime/worker/worker-config.ts';
import { sinkConnectorConfigDef, sourceConnectorConfigDef } from '../runtime/worker/connector-config.ts';
import { builtinPlugins, createPluginRegistry } from '../app/builtins.ts';
import {
  KAFKA_ADMIN_CONFIG_DEF,
  KAFKA_CONSUMER_CONFIG_DEF,
  KAFKA_PRODUCER_CONFIG_DEF,
} from '../runtime/transport/kafka-client-settings.ts';

function distributedOnlyDef(): ConfigDef {
  const def = new ConfigDef();
  for (const k of DISTRIBUTED_CONFIG_DEF.keys.values()) if (!WORKER_CONFIG_DEF.keys.has(k.name)) def.define(k);
  return def;
}

function table(def: ConfigDef): string {
  const rows = [...def.keys.values()].map((k) => {
    const text = Array.isArray(k.defaultValue) ? k.defaultValue.join(',') : String(k.defaultValue);
    const dflt =
      typeof k.defaultValue === 'symbol'
        ? '*(required)*'
        : k.defaultValue === null
          ? ''
          : text === ''
            ? '`""`'
            : `\`${text}\``;
    return `| \`${k.name}\` | ${k.type} | ${dflt} | ${k.importance} | ${k.documentation.replace(/\|/g, '\\|')}${k.validator?.description ? ` Valid values: ${k.validator.description}.` : ''} |`;
  });
  return ['| key | type | default | importance | description |', '|---|---|---|---|---|', ...rows].join('\n');
}

export async function renderConfigReference(): Promise<string> {
  const registry = createPluginRegistry();
  await registry.loadAll();
  const parts = [
    '# Configuration reference',
    '',
    "Generated from the code by `npx tsx docs/config-reference.ts > docs/configuration.md`. Keys and defaults follow Kafka Connect; `tributary.*` keys are Tributary's own.",
    '',
    '## Worker',
    '',
    'A worker reads a Java-style `.properties` or a JSON file. Values may use `${env:NAME}`, `${file:/path/file.properties:key}` and `${dir:/path:file}` placeholders once `config.providers` lists the providers (none by default; see security.md).',
    '',
    table(WORKER_CONFIG_DEF),
    '',
    '## Distributed worker (`tributary distributed`)',
    '',
    "The worker keys above plus connect-distributed's group and internal-topic keys (see [distributed.md](distributed.md)).",
    '',
    table(distributedOnlyDef()),
    '',
    '## Kafka clients (`producer.*`, `consumer.*`, `admin.*`)',
    '',
    "With `bootstrap.servers` set, the worker's `producer.<key>`, `consumer.<key>` and `admin.<key>` settings configure the Kafka clients of every connector; a connector overrides them with `producer.override.<key>` / `consumer.override.<key>` as far as `connector.client.config.override.policy` allows (see [kafka-producing.md](kafka-producing.md)). A key not listed here is refused with an error naming it.",
    '',
    '### Producer (source tasks, dead letter queues)',
    '',
    table(KAFKA_PRODUCER_CONFIG_DEF),
    '',
    '### Consumer (sink tasks)',
    '',
    table(KAFKA_CONSUMER_CONFIG_DEF),
    '',
    "### Admin (the worker's topic creation; worker keys only)",
    '',
    table(KAFKA_ADMIN_CONFIG_DEF),
    '',
    '## Source connectors (common keys)',
    '',
    table(sourceConnectorConfigDef()),
    '',
    '## Sink connectors (common keys)',
    '',
    table(sinkConnectorConfigDef()),
    '',
  ];
  for (const d of builtinPlugins()) {
    const def = (registry.get(d.className, d.type).create() as { config(): ConfigDef }).config();
    parts.push(
      `## ${d.className} (${d.type})`,
      '',
      d.aliases?.length ? `Also found as: ${d.aliases.map((a) => `\`${a}\``).join(', ')}.\n` : '',
      def.keys.size ? table(def) : 'No configuration keys.',
      '',
    );
  }
  return parts.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(await renderConfigReference());
