/** Every built-in transformation and predicate, under the Kafka Connect class names they implement. */
import type { PluginDescriptor } from '../runtime/plugins/types.ts';
import type { Predicate, Transformation } from '../runtime/spi/transformation.ts';
import type { Side } from './util/operating.ts';
import { InsertField } from './insert-field.ts';
import { ReplaceField } from './replace-field.ts';
import { ExtractField } from './extract-field.ts';
import { ValueToKey } from './value-to-key.ts';
import { HoistField } from './hoist-field.ts';
import { MaskField } from './mask-field.ts';
import { SetSchemaMetadata } from './set-schema-metadata.ts';
import { Flatten } from './flatten.ts';
import { Cast } from './cast.ts';
import { TimestampConverter } from './timestamp-converter.ts';
import { RegexRouter, TimestampRouter } from './routers.ts';
import { DropHeaders, Filter, HeaderFrom, InsertHeader } from './headers.ts';
import { HasHeaderKey, RecordIsTombstone, TopicNameMatches } from './predicates.ts';
import { ExtractNewRecordState } from './debezium/extract-new-record-state.ts';
import { ByLogicalTableRouter } from './debezium/by-logical-table-router.ts';
import { ContentBasedRouter, ContentFilter } from './debezium/content-based.ts';
import { EventRouter } from './debezium/outbox-event-router.ts';

const KC = 'org.apache.kafka.connect.transforms';

function keyValue(name: string, create: (side: Side) => Transformation): PluginDescriptor[] {
  return (['Key', 'Value'] as const).map((v) => ({
    type: 'transformation' as const,
    className: `${KC}.${name}$${v}`,
    aliases: [`tributary.smt.${name}$${v}`],
    version: '1.0.0',
    create: () => create(v === 'Key' ? 'key' : 'value'),
  }));
}

function single(name: string, create: () => Transformation): PluginDescriptor {
  return { type: 'transformation', className: `${KC}.${name}`, aliases: [`tributary.smt.${name}`], version: '1.0.0', create };
}

function predicate(name: string, create: () => Predicate): PluginDescriptor {
  return { type: 'predicate', className: `${KC}.predicates.${name}`, aliases: [`tributary.smt.${name}`], version: '1.0.0', create };
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
  single('ValueToKey', () => new ValueToKey()),
  single('RegexRouter', () => new RegexRouter()),
  single('TimestampRouter', () => new TimestampRouter()),
  single('Filter', () => new Filter()),
  single('DropHeaders', () => new DropHeaders()),
  single('InsertHeader', () => new InsertHeader()),
  { type: 'transformation', className: 'io.debezium.transforms.ExtractNewRecordState', aliases: ['tributary.smt.ExtractNewRecordState'], version: '1.0.0', create: () => new ExtractNewRecordState() },
  { type: 'transformation', className: 'io.debezium.transforms.outbox.EventRouter', aliases: ['tributary.smt.EventRouter'], version: '1.0.0', create: () => new EventRouter() },
  { type: 'transformation', className: 'io.debezium.transforms.Filter', aliases: ['tributary.smt.ContentFilter'], version: '1.0.0', create: () => new ContentFilter() },
  { type: 'transformation', className: 'io.debezium.transforms.ContentBasedRouter', aliases: ['tributary.smt.ContentBasedRouter'], version: '1.0.0', create: () => new ContentBasedRouter() },
  { type: 'transformation', className: 'io.debezium.transforms.ByLogicalTableRouter', aliases: ['tributary.smt.ByLogicalTableRouter'], version: '1.0.0', create: () => new ByLogicalTableRouter() },
  predicate('TopicNameMatches', () => new TopicNameMatches()),
  predicate('HasHeaderKey', () => new HasHeaderKey()),
  predicate('RecordIsTombstone', () => new RecordIsTombstone()),
];
