/**
 * io.debezium.transforms.outbox.EventRouter: turns change events of an outbox table into domain
 * events — topic from `route.by.field` (aggregatetype) through `route.topic.replacement`, key from
 * `table.field.event.key` (aggregateid), value from `table.field.event.payload`, the event id as
 * header `id`, extra columns placed by `table.fields.additional.placement`.
 */
import { ConfigDef, ParsedConfig, Validators } from '../../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../../runtime/errors.ts';
import { SchemaBuilder, type Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { createLogger, type Logger } from '../../runtime/logging.ts';
import type { AnyRecord, Transformation } from '../../runtime/spi/transformation.ts';

export const EVENT_ROUTER_CONFIG = new ConfigDef()
  .define({ name: 'table.field.event.id', type: 'STRING', defaultValue: 'id', importance: 'LOW', documentation: 'Outbox column with the unique event id; emitted as header "id".' })
  .define({ name: 'table.field.event.key', type: 'STRING', defaultValue: 'aggregateid', importance: 'LOW', documentation: 'Outbox column with the event key.' })
  .define({ name: 'table.field.event.payload', type: 'STRING', defaultValue: 'payload', importance: 'LOW', documentation: 'Outbox column with the event payload.' })
  .define({ name: 'table.field.event.timestamp', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Outbox column with the event timestamp (epoch ms); empty: the change event\'s ts_ms.' })
  .define({ name: 'table.fields.additional.placement', type: 'LIST', defaultValue: '', importance: 'LOW', documentation: 'Extra columns as column:placement[:alias], placement header, envelope or partition.' })
  .define({ name: 'table.field.event.schema.version', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'Outbox column with the payload schema version.' })
  .define({ name: 'route.by.field', type: 'STRING', defaultValue: 'aggregatetype', importance: 'LOW', documentation: 'Outbox column whose value selects the topic.' })
  .define({ name: 'route.topic.regex', type: 'STRING', defaultValue: '(?<routedByValue>.*)', importance: 'LOW', documentation: 'Regex applied to the route.by.field value.', validator: Validators.regex() })
  .define({ name: 'route.topic.replacement', type: 'STRING', defaultValue: 'outbox.event.${routedByValue}', importance: 'LOW', documentation: 'Topic name built from the regex groups, e.g. outbox.event.${routedByValue}.' })
  .define({ name: 'route.tombstone.on.empty.payload', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'Emit a tombstone (null value) for events with an empty or null payload.' })
  .define({ name: 'table.op.invalid.behavior', type: 'STRING', defaultValue: 'warn', importance: 'LOW', documentation: 'What to do with updates of the outbox table: warn (log and drop), error (log at error and drop), fatal (fail).', validator: Validators.in('warn', 'error', 'fatal') })
  .define({ name: 'table.expand.json.payload', type: 'BOOLEAN', defaultValue: false, importance: 'LOW', documentation: 'Expand a JSON string payload into a structure (not supported yet).' });

interface Placement {
  column: string;
  placement: 'header' | 'envelope' | 'partition';
  alias: string;
}

export class EventRouter implements Transformation {
  private c!: ParsedConfig;
  private placements: Placement[] = [];
  private routeRegex!: RegExp;
  private replacement = '';
  private readonly logger: Logger = createLogger({ name: 'io.debezium.transforms.outbox.EventRouter' });
  private readonly envelopeSchemas = new Map<string, Schema>();

  config(): ConfigDef { return EVENT_ROUTER_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    this.c = new ParsedConfig(EVENT_ROUTER_CONFIG, props);
    if (this.c.getBoolean('table.expand.json.payload')) throw new ConfigException('table.expand.json.payload=true is not supported yet; keep the payload as a string (or JSON type) column', { key: 'table.expand.json.payload' });
    this.placements = this.c.getList('table.fields.additional.placement').map((spec) => {
      const [column, placement, alias] = spec.split(':').map((s) => s.trim());
      if (!column || !['header', 'envelope', 'partition'].includes(placement)) {
        throw new ConfigException(`Invalid value ${spec} for configuration table.fields.additional.placement: use column:placement[:alias] with placement header, envelope or partition`, { key: 'table.fields.additional.placement' });
      }
      return { column, placement: placement as Placement['placement'], alias: alias ?? column };
    });
    this.routeRegex = new RegExp(`^(?:${this.c.getString('route.topic.regex')})$`);
    this.replacement = this.c.getString('route.topic.replacement');
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) return null;
    if (!(record.value instanceof Struct) || !record.valueSchema?.field('after')) return record;
    const op = record.value.getString('op');
    if (op === 'd') return null;
    if (op === 'u') {
      const behavior = this.c.getString('table.op.invalid.behavior');
      const msg = `Unexpected update event on the outbox table (topic ${record.topic}); outbox rows should only be inserted`;
      if (behavior === 'fatal') throw new DataException(msg);
      if (behavior === 'error') this.logger.error(msg);
      else this.logger.warn(msg);
      return null;
    }
    const row = record.value.getWithoutDefault('after') as Struct | null;
    if (!row) return null;
    const column = (name: string) => {
      const f = row.schema.field(name);
      if (!f) throw new DataException(`Outbox table has no column "${name}" (columns: ${row.schema.fields.map((x) => x.name).join(', ')}); set the matching table.field.* option`);
      return { value: row.getWithoutDefault(name), schema: f.schema };
    };
    const routedBy = String(column(this.c.getString('route.by.field')).value ?? '');
    const m = this.routeRegex.exec(routedBy);
    const topic = m ? this.replacement.replace(/\$\{(\w+)\}/g, (_x, g: string) => m.groups?.[g] ?? '').replace(/\$(\d+)/g, (_x, d: string) => m[Number(d)] ?? '') : record.topic;
    const key = column(this.c.getString('table.field.event.key'));
    const payload = column(this.c.getString('table.field.event.payload'));
    const tsField = this.c.getString('table.field.event.timestamp');
    const timestamp = tsField ? toMillis(column(tsField).value) : ((record.value.getWithoutDefault('ts_ms') as number | null) ?? record.timestamp);
    const headers = record.headers.duplicate().add('id', column(this.c.getString('table.field.event.id')).value, column(this.c.getString('table.field.event.id')).schema);
    let partition = record.kafkaPartition;
    const envelopeFields: Placement[] = [];
    for (const p of this.placements) {
      const v = column(p.column);
      if (p.placement === 'header') headers.add(p.alias, v.value, v.schema);
      else if (p.placement === 'partition') partition = Number(v.value);
      else envelopeFields.push(p);
    }
    const empty = payload.value === null || payload.value === '';
    if (empty && this.c.getBoolean('route.tombstone.on.empty.payload')) {
      return record.newRecord({ topic, kafkaPartition: partition, keySchema: key.schema, key: key.value, valueSchema: null, value: null, timestamp, headers }) as R;
    }
    let valueSchema: Schema = payload.schema;
    let value: unknown = payload.value;
    if (envelopeFields.length > 0) {
      const cacheKey = `${row.schema.name}\u0000${envelopeFields.map((p) => p.column).join(',')}`;
      let s = this.envelopeSchemas.get(cacheKey);
      if (!s) {
        const b = SchemaBuilder.struct().field('payload', payload.schema);
        for (const p of envelopeFields) b.field(p.alias, row.schema.field(p.column)!.schema);
        this.envelopeSchemas.set(cacheKey, (s = b.build()));
      }
      const struct = new Struct(s).put('payload', payload.value);
      for (const p of envelopeFields) struct.put(p.alias, row.getWithoutDefault(p.column));
      valueSchema = s;
      value = struct;
    }
    return record.newRecord({ topic, kafkaPartition: partition, keySchema: key.schema, key: key.value, valueSchema, value, timestamp, headers }) as R;
  }
}

function toMillis(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  return Number(v);
}
