/**
 * Every built-in transformation and predicate, listed under the Kafka Connect / Debezium class name
 * it implements (so existing connector JSON loads unchanged), with a Tributary alias
 * `tributary.smt.<Name>`. Registered by app/builtins.ts (the composition root).
 */
import type { LazyPluginDescriptor, Predicate, Transformation } from '../sdk/spi.ts';
import type { Side } from './util/operating.ts';

const KC = 'org.apache.kafka.connect.transforms';
const VERSION = '1.0.0';

// Each plugin is listed without its code: `load` imports its module when a chain first uses it.
type Loader<T> = () => Promise<T>;

function keyValue(name: string, load: Loader<new (side: Side) => Transformation>): LazyPluginDescriptor[] {
  return (['Key', 'Value'] as const).map((v) => ({
    type: 'transformation' as const,
    className: `${KC}.${name}$${v}`,
    aliases: [`tributary.smt.${name}$${v}`],
    version: VERSION,
    load: async () => {
      const Class = await load();
      const side: Side = v === 'Key' ? 'key' : 'value';
      return () => new Class(side);
    },
  }));
}

function single(className: string, alias: string, load: Loader<new () => Transformation>): LazyPluginDescriptor {
  return {
    type: 'transformation',
    className,
    aliases: [`tributary.smt.${alias}`],
    version: VERSION,
    load: async () => {
      const Class = await load();
      return () => new Class();
    },
  };
}

function predicate(name: string, load: Loader<new () => Predicate>): LazyPluginDescriptor {
  return {
    type: 'predicate',
    className: `${KC}.predicates.${name}`,
    aliases: [`tributary.smt.${name}`],
    version: VERSION,
    load: async () => {
      const Class = await load();
      return () => new Class();
    },
  };
}

export const transformPlugins: LazyPluginDescriptor[] = [
  ...keyValue('InsertField', async () => (await import('./insert-field.js')).InsertField),
  ...keyValue('ReplaceField', async () => (await import('./replace-field.js')).ReplaceField),
  ...keyValue('ExtractField', async () => (await import('./extract-field.js')).ExtractField),
  ...keyValue('HoistField', async () => (await import('./hoist-field.js')).HoistField),
  ...keyValue('MaskField', async () => (await import('./mask-field.js')).MaskField),
  ...keyValue('SetSchemaMetadata', async () => (await import('./set-schema-metadata.js')).SetSchemaMetadata),
  ...keyValue('Flatten', async () => (await import('./flatten.js')).Flatten),
  ...keyValue('Cast', async () => (await import('./cast.js')).Cast),
  ...keyValue('HeaderFrom', async () => (await import('./header-from.js')).HeaderFrom),
  ...keyValue('TimestampConverter', async () => (await import('./timestamp-converter.js')).TimestampConverter),
  single(`${KC}.ValueToKey`, 'ValueToKey', async () => (await import('./value-to-key.js')).ValueToKey),
  single(`${KC}.RegexRouter`, 'RegexRouter', async () => (await import('./regex-router.js')).RegexRouter),
  single(
    `${KC}.TimestampRouter`,
    'TimestampRouter',
    async () => (await import('./timestamp-router.js')).TimestampRouter,
  ),
  single(`${KC}.Filter`, 'Filter', async () => (await import('./filter.js')).Filter),
  single(`${KC}.DropHeaders`, 'DropHeaders', async () => (await import('./drop-headers.js')).DropHeaders),
  single(`${KC}.InsertHeader`, 'InsertHeader', async () => (await import('./insert-header.js')).InsertHeader),
  single(
    'io.debezium.transforms.ExtractNewRecordState',
    'ExtractNewRecordState',
    async () => (await import('./debezium/extract-new-record-state.js')).ExtractNewRecordState,
  ),
  single(
    'io.debezium.transforms.outbox.EventRouter',
    'EventRouter',
    async () => (await import('./debezium/outbox-event-router.js')).EventRouter,
  ),
  single(
    'io.debezium.transforms.Filter',
    'ContentFilter',
    async () => (await import('./debezium/filter.js')).ContentFilter,
  ),
  single(
    'io.debezium.transforms.ContentBasedRouter',
    'ContentBasedRouter',
    async () => (await import('./debezium/content-based-router.js')).ContentBasedRouter,
  ),
  single(
    'io.debezium.transforms.ByLogicalTableRouter',
    'ByLogicalTableRouter',
    async () => (await import('./debezium/by-logical-table-router.js')).ByLogicalTableRouter,
  ),
  predicate('TopicNameMatches', async () => (await import('./predicates/topic-name-matches.js')).TopicNameMatches),
  predicate('HasHeaderKey', async () => (await import('./predicates/has-header-key.js')).HasHeaderKey),
  predicate('RecordIsTombstone', async () => (await import('./predicates/record-is-tombstone.js')).RecordIsTombstone),
];
