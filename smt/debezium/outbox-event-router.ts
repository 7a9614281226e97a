/**
 * io.debezium.transforms.outbox.EventRouter (outbox pattern): turns the insert events of an outbox
 * table into domain events. The topic is the `route.by.field` column (aggregatetype) run through
 * `route.topic.regex` → `route.topic.replacement` (`outbox.event.${routedByValue}`); the key is the
 * `table.field.event.key` column (aggregateid); the value is the `table.field.event.payload` column
 * — or, when `table.fields.additional.placement` puts columns in the `envelope`, a struct
 * `{payload, <aliases>}`; the event id becomes header `id`; `header` placements add headers and a
 * `partition` placement sets the partition. Deletes and tombstones are dropped, updates are handled
 * by `table.op.invalid.behavior`, an empty payload can become a tombstone. Non-envelope records pass.
 */
import { ConfigDef, ParsedConfig } from '../../sdk/config.ts';
import { ConnectException, DataException } from '../../sdk/errors.ts';
import { SchemaBuilder, Schemas, type Schema, Struct, ConnectTimestamp, EpochMillis } from '../../sdk/data.ts';
import type { AnyRecord, Transformation } from '../../sdk/spi.ts';
import { requireStruct } from '../util/requirements.ts';
import { invalid, SmtValidators } from '../util/config.ts';
import {
  compileJavaRegex,
  compileJavaReplacement,
  type JavaPattern,
  type JavaReplacement,
} from '../../sdk/java-regex.ts';
import { smtLogger } from '../util/log.ts';
import { javaToString } from '../../sdk/internal/java-format.ts';
import { isEnvelopeSchema } from './envelope.ts';
import { JsonPayloadSchemas, jsonToStruct, parseJsonTree } from './outbox-json-payload.ts';

type Placement = 'header' | 'envelope' | 'partition';

interface AdditionalField {
  placement: Placement;
  field: string;
  alias: string;
}

export function parseAdditionalFields(list: readonly string[]): AdditionalField[] {
  return list.map((spec) => {
    const parts = spec.split(':').map((p) => p.trim());
    const placement = (parts[1] ?? '').toLowerCase();
    if (
      parts.length < 2 ||
      parts.length > 3 ||
      parts[0] === '' ||
      !['header', 'envelope', 'partition'].includes(placement)
    ) {
      throw invalid(
        'table.fields.additional.placement',
        list,
        `'${spec}' must be column:placement or column:placement:alias, with placement header, envelope or partition`,
      );
    }
    return { placement: placement as Placement, field: parts[0], alias: parts.length === 3 ? parts[2] : parts[0] };
  });
}

export const EVENT_ROUTER_CONFIG = new ConfigDef()
  .define({
    name: 'table.field.event.id',
    type: 'STRING',
    defaultValue: 'id',
    importance: 'LOW',
    group: 'Table',
    documentation: 'The column which contains the event ID within the outbox table',
  })
  .define({
    name: 'table.field.event.key',
    type: 'STRING',
    defaultValue: 'aggregateid',
    importance: 'LOW',
    group: 'Table',
    documentation: 'The column which contains the event key within the outbox table',
  })
  .define({
    name: 'table.field.event.type',
    type: 'STRING',
    defaultValue: 'type',
    importance: 'LOW',
    group: 'Table',
    documentation: 'The column which contains the event type within the outbox table',
  })
  .define({
    name: 'table.field.event.payload',
    type: 'STRING',
    defaultValue: 'payload',
    importance: 'LOW',
    group: 'Table',
    documentation: 'The column which contains the event payload within the outbox table',
  })
  .define({
    name: 'table.field.event.timestamp',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: 'Table',
    documentation:
      "Optionally you can override the Kafka message timestamp with a value from a chosen column, otherwise it'll be the Debezium event processed timestamp.",
  })
  .define({
    name: 'table.fields.additional.placement',
    type: 'LIST',
    defaultValue: null,
    importance: 'HIGH',
    group: 'Table',
    validator: {
      description: 'list of column:placement[:alias]',
      ensureValid: (_n, v) => {
        parseAdditionalFields(v as string[]);
      },
    },
    documentation:
      'Extra fields can be added as part of the event envelope or a message header, format is a list of colon-delimited pairs or trios when you desire to have aliases, e.g. <code>id:header,field_name:envelope:alias,field_name:partition</code> ',
  })
  .define({
    name: 'table.fields.additional.error.on.missing',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    group: 'Table',
    documentation:
      "Accepted for compatibility; as in Debezium 3.6, a 'table.fields.additional.placement' column the outbox table does not have fails the record whatever this says.",
  })
  .define({
    name: 'table.field.event.schema.version',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: 'Table',
    documentation: 'The column which contains the event schema version within the outbox table',
  })
  .define({
    name: 'table.op.invalid.behavior',
    type: 'STRING',
    defaultValue: 'warn',
    importance: 'MEDIUM',
    group: 'Table',
    validator: SmtValidators.caseInsensitiveValidString('warn', 'error', 'fatal'),
    documentation:
      "While Debezium is capturing changes from the outbox table, it is expecting only to process 'create' or 'delete' row events; in case something else is processed this transform can log it as warning, error or stop the process.",
  })
  .define({
    name: 'table.expand.json.payload',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: 'Table',
    documentation:
      'Whether or not to try unescaping a JSON string and make it real JSON. The schema is inferred as Debezium infers it (integers INT32/INT64, other numbers FLOAT64, structs named by their path from the payload field).',
  })
  .define({
    name: 'table.json.payload.null.behavior',
    type: 'STRING',
    defaultValue: 'ignore',
    importance: 'MEDIUM',
    group: 'Table',
    validator: SmtValidators.caseInsensitiveValidString('ignore', 'optional_bytes'),
    documentation:
      'Behavior when json payload including null value (with table.expand.json.payload): ignore leaves the field out, optional_bytes makes it an optional BYTES field.',
  })
  .define({
    name: 'route.by.field',
    type: 'STRING',
    defaultValue: 'aggregatetype',
    importance: 'HIGH',
    group: 'Router',
    documentation:
      'The column which determines how the events will be routed, the value will become part of the topic name',
  })
  .define({
    name: 'route.topic.regex',
    type: 'STRING',
    defaultValue: '(?<routedByValue>.*)',
    importance: 'LOW',
    group: 'Router',
    validator: SmtValidators.javaRegex(),
    documentation:
      "The default regex to use within the RegexRouter, the default capture will allow to replace the routed field into a new topic name defined in 'route.topic.replacement'",
  })
  .define({
    name: 'route.topic.replacement',
    type: 'STRING',
    defaultValue: 'outbox.event.${routedByValue}',
    importance: 'HIGH',
    group: 'Router',
    documentation:
      "The name of the topic in which the events will be routed, a replacement '${routedByValue}' is available which is the value of The column configured via 'route.by.field'",
  })
  .define({
    name: 'route.tombstone.on.empty.payload',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'HIGH',
    group: 'Router',
    documentation: 'Whether or not an empty payload should cause a tombstone event.',
  });

const TIMESTAMP_NAMES: Record<string, bigint> = {
  'io.debezium.time.Timestamp': 1n,
  'io.debezium.time.MicroTimestamp': 1000n,
  'io.debezium.time.NanoTimestamp': 1_000_000n,
};

export class EventRouter implements Transformation {
  private fieldEventId = 'id';
  private fieldEventKey: string | null = 'aggregateid';
  private fieldPayload = 'payload';
  private fieldEventTimestamp: string | null = null;
  private fieldSchemaVersion: string | null = null;
  private routeByField = 'aggregatetype';
  private routeRegex!: JavaPattern;
  private routeReplacement!: JavaReplacement;
  private routeTombstoneOnEmptyPayload = false;
  private invalidOperationBehavior = 'warn';
  private additionalFields: AdditionalField[] = [];
  private onlyHeadersInOutputMessage = true;
  private readonly valueSchemas = new WeakMap<Schema, Map<string, Schema>>();
  private jsonPayloads: JsonPayloadSchemas | null = null;

  config(): ConfigDef {
    return EVENT_ROUTER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(EVENT_ROUTER_CONFIG, props);
    this.jsonPayloads = c.getBoolean('table.expand.json.payload')
      ? new JsonPayloadSchemas(
          c.getString('table.json.payload.null.behavior').trim().toLowerCase() === 'optional_bytes',
        )
      : null;
    this.fieldEventId = c.getString('table.field.event.id');
    this.fieldEventKey = c.getOptionalString('table.field.event.key');
    this.fieldPayload = c.getString('table.field.event.payload');
    this.fieldEventTimestamp = c.getOptionalString('table.field.event.timestamp');
    this.fieldSchemaVersion = c.getOptionalString('table.field.event.schema.version');
    this.routeByField = c.getString('route.by.field');
    this.routeRegex = compileJavaRegex(c.getString('route.topic.regex'), 'route.topic.regex');
    this.routeReplacement = compileJavaReplacement(
      c.getString('route.topic.replacement'),
      this.routeRegex,
      'route.topic.replacement',
    );
    this.routeTombstoneOnEmptyPayload = c.getBoolean('route.tombstone.on.empty.payload');
    this.invalidOperationBehavior = c.getString('table.op.invalid.behavior').trim().toLowerCase();
    this.additionalFields = parseAdditionalFields(c.getList('table.fields.additional.placement'));
    this.onlyHeadersInOutputMessage = !this.additionalFields.some((f) => f.placement === 'envelope');
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) return null;
    if (!isEnvelopeSchema(record.valueSchema)) return record;
    const envelope = requireStruct(record.value, 'Detect Debezium Operation');
    const op = envelope.getWithoutDefault('op');
    if (op === 'd') return null;
    if (op === 'u') {
      const message = `Unexpected update message received ${javaToString(record.key)}`;
      if (this.invalidOperationBehavior === 'fatal') throw new DataException(`${message}, fail.`);
      const log = smtLogger('io.debezium.transforms.outbox.EventRouter');
      if (this.invalidOperationBehavior === 'error') log.error(`${message} and ignored`);
      else log.warn(`${message} and ignored`);
      return null;
    }
    const afterField = envelope.schema.field('after');
    const event = requireStruct(afterField ? envelope.getWithoutDefault('after') : null, 'Read Outbox Event');
    const eventSchema = afterField!.schema;
    const payloadField = eventSchema.field(this.fieldPayload);
    if (!payloadField) throw new ConnectException(`Unable to find payload field ${this.fieldPayload} in event`);
    const eventIdField = eventSchema.field(this.fieldEventId);
    if (!eventIdField) throw new ConnectException(`Unable to find event-id field ${this.fieldEventId} in event`);
    const timestamp = this.timestamp(envelope, event);
    let payload = event.get(payloadField);
    let payloadSchema = payloadField.schema;
    // Debezium expands only a text that starts as a JSON object or array.
    if (
      this.jsonPayloads !== null &&
      typeof payload === 'string' &&
      (payload.startsWith('{') || payload.startsWith('['))
    ) {
      // As Debezium: unparseable text stays a string; a schema inferred from a non-object root is kept while the value stays the text.
      try {
        const tree = parseJsonTree(payload);
        const inferred = this.jsonPayloads.schemaOf(this.fieldPayload, tree);
        if (inferred === null) throw new DataException('no schema for a null JSON payload');
        payloadSchema = inferred;
        payload = jsonToStruct(tree, inferred);
      } catch (err) {
        smtLogger('io.debezium.transforms.outbox.EventRouter').warn(`JSON expansion failed: ${(err as Error).message}`);
      }
    }
    const headers = record.headers.duplicate().add('id', event.get(eventIdField), eventIdField.schema);
    const routedBy = this.column(event, this.routeByField) as string | null;

    let structValue: Struct | null = null;
    if (!this.onlyHeadersInOutputMessage) {
      const version =
        this.fieldSchemaVersion === null ? null : (this.column(event, this.fieldSchemaVersion) as number | null);
      structValue = new Struct(this.valueSchema(payloadSchema, eventSchema, routedBy, version)).put('payload', payload);
    }
    let partition: number | null = null;
    for (const f of this.additionalFields) {
      const field = eventSchema.field(f.field);
      if (!field) {
        // Debezium 3.6 fails on a column the outbox table does not have whatever table.fields.additional.error.on.missing says.
        const columns = `(table.fields.additional.placement; outbox columns: ${eventSchema.fields.map((x) => x.name).join(', ')})`;
        if (f.placement === 'envelope')
          throw new ConnectException(`Unable to find field ${f.field} in event ${columns}`);
        throw new DataException(`${f.field} is not a valid field name ${columns}`);
      }
      const v = event.get(field);
      if (f.placement === 'envelope') structValue!.put(f.alias, v);
      else if (f.placement === 'header') headers.add(f.alias, v, field.schema);
      else partition = v === null || v === undefined ? null : Number(v);
    }

    const isDeleteEvent = payload === null || payload === undefined || javaToString(payload).trim() === '';
    let valueSchema: Schema | null;
    let value: unknown;
    if (isDeleteEvent && this.routeTombstoneOnEmptyPayload) {
      valueSchema = null;
      value = null;
    } else if (this.onlyHeadersInOutputMessage) {
      valueSchema = payloadSchema;
      value = payload;
    } else {
      valueSchema = structValue!.schema;
      value = structValue;
    }
    const keyField = this.fieldEventKey === null ? undefined : eventSchema.field(this.fieldEventKey);
    const key = this.fieldEventKey === null ? null : this.column(event, this.fieldEventKey);
    const topic =
      routedBy !== null && this.routeRegex.matches(routedBy)
        ? this.routeRegex.replaceFirst(routedBy, this.routeReplacement)
        : routedBy;
    if (topic === null)
      throw new DataException(
        `Outbox event has no value in route.by.field column ${this.routeByField}; cannot choose a topic`,
      );
    return record.newRecord({
      topic,
      kafkaPartition: partition,
      keySchema: keyField ? keyField.schema : Schemas.STRING,
      key,
      valueSchema,
      value,
      timestamp,
      headers,
    }) as R;
  }

  private column(event: Struct, name: string): unknown {
    const f = event.schema.field(name);
    if (!f)
      throw new DataException(
        `${name} is not a valid field name (outbox columns: ${event.schema.fields.map((x) => x.name).join(', ')})`,
      );
    return event.get(f);
  }

  private timestamp(envelope: Struct, event: Struct): number | null {
    const tsMs = envelope.schema.field('ts_ms') ? envelope.getWithoutDefault('ts_ms') : null;
    const envelopeTs = tsMs === null || tsMs === undefined ? null : Number(tsMs);
    if (this.fieldEventTimestamp === null) return envelopeTs;
    const field = event.schema.field(this.fieldEventTimestamp);
    if (!field) throw new ConnectException(`Unable to find timestamp field ${this.fieldEventTimestamp} in event`);
    const v = event.get(field);
    if (v === null || v === undefined) return envelopeTs;
    if (field.schema.name === ConnectTimestamp.LOGICAL_NAME && (v instanceof Date || v instanceof EpochMillis))
      return Number(ConnectTimestamp.fromLogical(v));
    if (field.schema.name === undefined)
      throw new ConnectException(
        `Unsupported field type ${field.schema.type.toUpperCase()} (without logical schema name) for event timestamp`,
      );
    const unit = TIMESTAMP_NAMES[field.schema.name];
    if (unit === undefined)
      throw new ConnectException(`Unsupported field type ${field.schema.name} for event timestamp`);
    return Number(BigInt(v as number | bigint) / unit);
  }

  /** The `{payload, <envelope fields>}` schema, named after the outbox row schema with the routed value inserted. */
  private valueSchema(
    payloadSchema: Schema,
    eventSchema: Schema,
    routedBy: string | null,
    version: number | null,
  ): Schema {
    let byRoute = this.valueSchemas.get(payloadSchema);
    if (!byRoute) this.valueSchemas.set(payloadSchema, (byRoute = new Map()));
    const cacheKey = `${eventSchema.name ?? ''}\u0000${routedBy}\u0000${version}`;
    let s = byRoute.get(cacheKey);
    if (!s) {
      const original = eventSchema.name;
      const lastDot = original ? original.lastIndexOf('.') : -1;
      const name =
        original === undefined
          ? String(routedBy)
          : lastDot >= 0
            ? `${original.slice(0, lastDot + 1)}${routedBy}.${original.slice(lastDot + 1)}`
            : `${routedBy}.${original}`;
      const b = SchemaBuilder.struct().name(name).field('payload', payloadSchema);
      for (const f of this.additionalFields) {
        if (f.placement !== 'envelope') continue;
        const field = eventSchema.field(f.field);
        if (field) b.field(f.alias, field.schema);
      }
      if (version !== null) b.version(version);
      byRoute.set(cacheKey, (s = b.build()));
    }
    return s;
  }
}
