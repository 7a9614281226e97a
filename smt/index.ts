/**
 * Every built-in transformation and predicate, listed under the Kafka Connect / Debezium class name
 * it implements (so existing connector JSON loads unchanged), with a Tributary alias
 * `tributary.smt.<Name>`. Registered by app/builtins.ts (the composition root).
 */
import type { PluginDescriptor, Predicate, Transformation } from '../sdk/spi.ts';
import type { Side } from './util/operating.ts';
import { InsertField } from './insert-field.ts';
import { ReplaceField } from './replace-field.ts';
import { MaskField } from './mask-field.ts';
import { ValueToKey } from './value-to-key.ts';
import { ExtractField } from './extract-field.ts';
import { HoistField } from './hoist-field.ts';
import { Cast } from './cast.ts';
import { TimestampConverter } from './timestamp-converter.ts';
import { RegexRouter } from './regex-router.ts';
import { TimestampRouter } from './timestamp-router.ts';
import { Flatten } from './flatten.ts';
import { SetSchemaMetadata } from './set-schema-metadata.ts';
import { Filter } from './filter.ts';
import { DropHeaders } from './drop-headers.ts';
import { InsertHeader } from './insert-header.ts';
import { HeaderFrom } from './header-from.ts';
import { TopicNameMatches } from './predicates/topic-name-matches.ts';
import { HasHeaderKey } from './predicates/has-header-key.ts';
import { RecordIsTombstone } from './predicates/record-is-tombstone.ts';
import { ExtractNewRecordState } from './debezium/extract-new-record-state.ts';
import { ByLogicalTableRouter } from './debezium/by-logical-table-router.ts';
import { EventRouter } from './debezium/outbox-event-router.ts';
import { ContentFilter } from './debezium/filter.ts';
import { ContentBasedRouter } from './debezium/content-based-router.ts';

const KC = 'org.apache.kafka.connect.transforms';
const VERSION = '1.0.0';

function keyValue(name: string, create: (side: Side) => Transformation): PluginDescriptor[] {
  return (['Key', 'Value'] as const).map((v) => ({
    type: 'transformation' as const,
    className: `${KC}.${name}$${v}`,
    aliases: [`tributary.smt.${name}$${v}`],
    version: VERSION,
    create: () => create(v === 'Key' ? 'key' : 'value'),
  }));
}

function single(className: string, alias: string, create: () => Transformation): PluginDescriptor {
  return { type: 'transformation', className, aliases: [`tributary.smt.${alias}`], version: VERSION, create };
}

function predicate(name: string, create: () => Predicate): PluginDescriptor {
  return {
    type: 'predicate',
    className: `${KC}.predicates.${name}`,
    aliases: [`tributary.smt.${name}`],
    version: VERSION,
    create,
  };
}

export const transformPlugins: PluginDescriptor[] = [
  ...keyValue('InsertField', (s) => new InsertField(s)),
  ...keyValue('ReplaceField', (s) => new ReplaceField(s)),
  ...keyValue('ExtractField', (s) => new ExtractField(s)),
  ...keyValue('HoistField', (s) => new HoistField(s)),
  ...keyValue('MaskField', (s) => new MaskField(s)),
  ...keyValue('SetSchemaMetadata', (s) => new SetSchemaMetadata(s)),
  ...keyValue('Flatten', (s) => new Flatten(s)),
  ...keyValue('Cast', (s) => new Cast(s)),
  ...keyValue('HeaderFrom', (s) => new HeaderFrom(s)),
  ...keyValue('TimestampConverter', (s) => new TimestampConverter(s)),
  single(`${KC}.ValueToKey`, 'ValueToKey', () => new ValueToKey()),
  single(`${KC}.RegexRouter`, 'RegexRouter', () => new RegexRouter()),
  single(`${KC}.TimestampRouter`, 'TimestampRouter', () => new TimestampRouter()),
  single(`${KC}.Filter`, 'Filter', () => new Filter()),
  single(`${KC}.DropHeaders`, 'DropHeaders', () => new DropHeaders()),
  single(`${KC}.InsertHeader`, 'InsertHeader', () => new InsertHeader()),
  single('io.debezium.transforms.ExtractNewRecordState', 'ExtractNewRecordState', () => new ExtractNewRecordState()),
  single('io.debezium.transforms.outbox.EventRouter', 'EventRouter', () => new EventRouter()),
  single('io.debezium.transforms.Filter', 'ContentFilter', () => new ContentFilter()),
  single('io.debezium.transforms.ContentBasedRouter', 'ContentBasedRouter', () => new ContentBasedRouter()),
  single('io.debezium.transforms.ByLogicalTableRouter', 'ByLogicalTableRouter', () => new ByLogicalTableRouter()),
  predicate('TopicNameMatches', () => new TopicNameMatches()),
  predicate('HasHeaderKey', () => new HasHeaderKey()),
  predicate('RecordIsTombstone', () => new RecordIsTombstone()),
];
