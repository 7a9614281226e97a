/**
 * MainframeCdcEnvelope: turns a decoded mainframe CDC record (header fields plus before/after
 * image groups, as Precisely Connect CDC or IBM InfoSphere CDC write them) into a Debezium change
 * event, so the feed looks like the MySQL/PostgreSQL connectors' events to sinks: key from the
 * key fields, value { before, after, source, op, ts_ms }. Before and after share one
 * `<topic>.Value` schema (image groups must have the same shape).
 */
import { ConfigDef, ParsedConfig, Validators } from '../../../sdk/config.ts';
import { SchemaBuilder, type Schema, Struct } from '../../../sdk/data.ts';
import { ConfigException, DataException } from '../../../sdk/errors.ts';
import type { AnyRecord, Transformation } from '../../../sdk/spi.ts';
import { timestampParser, type TimestampParser } from './timestamp-format.ts';

export const CDC_ENVELOPE_CONFIG = new ConfigDef()
  .define({
    name: 'op.field',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'Field (dotted path, COBOL or Connect names) holding the operation code.',
  })
  .define({
    name: 'op.map',
    type: 'LIST',
    defaultValue: 'I=c,U=u,D=d,R=r',
    importance: 'HIGH',
    documentation:
      'Operation code value → Debezium op (c, u, d, r), e.g. PT=c,UP=u,DL=d. Records with other codes fail (or are dropped with op.unknown=skip).',
  })
  .define({
    name: 'op.unknown',
    type: 'STRING',
    defaultValue: 'fail',
    importance: 'LOW',
    validator: Validators.in('fail', 'skip'),
    documentation: 'What to do with an operation code not in op.map.',
  })
  .define({
    name: 'timestamp.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: 'Field with the change timestamp (source.ts_ms); default: the record timestamp.',
  })
  .define({
    name: 'timestamp.format',
    type: 'STRING',
    defaultValue: 'yyyy-MM-dd-HH.mm.ss.SSSSSS',
    importance: 'MEDIUM',
    documentation: 'Format of timestamp.field: a pattern of yyyy MM dd HH mm ss S (UTC), or epoch_ms / epoch_s.',
  })
  .define({
    name: 'before.field',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: 'Group with the before image; default: none (deletes then use the after image as before).',
  })
  .define({
    name: 'after.field',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'Group with the after image (for deletes, the deleted row when there is no before.field).',
  })
  .define({
    name: 'key.fields',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation: 'Fields of the image that form the record key (struct <topic>.Key); empty: keep the record key.',
  })
  .define({
    name: 'source.name',
    type: 'STRING',
    defaultValue: 'mainframe',
    importance: 'LOW',
    documentation: 'source.name of the events (the logical server name).',
  })
  .define({
    name: 'source.table',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'source.table of the events; default: the topic.',
  });

const SOURCE = SchemaBuilder.struct()
  .name('io.tributary.connector.mainframe.CdcSource')
  .field('version', SchemaBuilder.string().build())
  .field('connector', SchemaBuilder.string().build())
  .field('name', SchemaBuilder.string().build())
  .field('ts_ms', SchemaBuilder.int64().build())
  .field(
    'snapshot',
    SchemaBuilder.string()
      .optional()
      .name('io.debezium.data.Enum')
      .version(1)
      .parameter('allowed', 'true,last,false,incremental')
      .defaultValue('false')
      .build(),
  )
  .field('table', SchemaBuilder.string().optional().build())
  .field('op_code', SchemaBuilder.string().optional().build())
  .build();

function pathOf(text: string): string[] {
  return text.split('.').map((p) => p.trim().replace(/-/g, '_').toUpperCase());
}

function fieldAt(schema: Schema, path: string[]): Schema | undefined {
  let s: Schema | undefined = schema;
  for (const p of path) s = s?.type === 'struct' ? s.fields.find((f) => f.name.toUpperCase() === p)?.schema : undefined;
  return s;
}

function valueAt(v: unknown, path: string[]): unknown {
  for (const p of path) {
    if (!(v instanceof Struct)) return null;
    const f = v.schema.fields.find((x) => x.name.toUpperCase() === p);
    if (!f) return null;
    v = v.get(f);
  }
  return v;
}

/** Copies a struct positionally onto a schema of the same shape (image groups differ only in names). */
function rebind(value: unknown, schema: Schema): unknown {
  if (value === null || value === undefined) return null;
  if (schema.type === 'struct') {
    const src = value as Struct;
    const out = new Struct(schema);
    schema.fields.forEach((f, i) => {
      const v = src.valueAt(i);
      if (v !== null) out.put(f, rebind(v, f.schema));
    });
    return out;
  }
  if (schema.type === 'array') return (value as unknown[]).map((v) => rebind(v, schema.valueSchema!));
  return value;
}

function sameShape(a: Schema, b: Schema): boolean {
  if (a.type !== b.type) return false;
  if (a.type !== 'struct' && a.name !== b.name) return false;
  if (a.type === 'struct')
    return a.fields.length === b.fields.length && a.fields.every((f, i) => sameShape(f.schema, b.fields[i].schema));
  if (a.type === 'array') return sameShape(a.valueSchema!, b.valueSchema!);
  return JSON.stringify(a.parameters ?? {}) === JSON.stringify(b.parameters ?? {});
}

function renamed(schema: Schema, name: string): Schema {
  const b = SchemaBuilder.struct().name(name).optional();
  for (const f of schema.fields) b.field(f.name, f.schema);
  return b.build();
}

export class MainframeCdcEnvelope implements Transformation {
  private opPath: string[] = [];
  private opMap = new Map<string, string>();
  private skipUnknown = false;
  private tsPath: string[] | null = null;
  private parseTs: TimestampParser = Number;
  private beforePath: string[] | null = null;
  private afterPath: string[] = [];
  private keyPaths: string[][] = [];
  private sourceName = 'mainframe';
  private table: string | null = null;
  private readonly cache = new WeakMap<Schema, { value: Schema; envelope: Schema; key: Schema | null }>();

  config(): ConfigDef {
    return CDC_ENVELOPE_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(CDC_ENVELOPE_CONFIG, props);
    this.opPath = pathOf(c.getString('op.field'));
    for (const item of c.getList('op.map')) {
      const i = item.lastIndexOf('=');
      const op = item.slice(i + 1).trim();
      if (i <= 0 || !['c', 'u', 'd', 'r'].includes(op))
        throw new ConfigException(`Invalid value ${item} in configuration op.map: expected CODE=c|u|d|r`, {
          key: 'op.map',
        });
      this.opMap.set(item.slice(0, i).trim(), op);
    }
    this.skipUnknown = c.getString('op.unknown') === 'skip';
    const ts = c.getOptionalString('timestamp.field');
    this.tsPath = ts ? pathOf(ts) : null;
    try {
      this.parseTs = timestampParser(c.getString('timestamp.format'));
    } catch (err) {
      throw new ConfigException(
        `Invalid value ${c.getString('timestamp.format')} for configuration timestamp.format: ${(err as Error).message}`,
        { key: 'timestamp.format' },
      );
    }
    const before = c.getOptionalString('before.field');
    this.beforePath = before ? pathOf(before) : null;
    this.afterPath = pathOf(c.getString('after.field'));
    this.keyPaths = c.getList('key.fields').map(pathOf);
    this.sourceName = c.getString('source.name');
    this.table = c.getOptionalString('source.table');
  }

  private schemasFor(record: AnyRecord): { value: Schema; envelope: Schema; key: Schema | null } {
    const schema = record.valueSchema!;
    let s = this.cache.get(schema);
    if (s) return s;
    const after = fieldAt(schema, this.afterPath);
    if (!after || after.type !== 'struct')
      throw new DataException(
        `after.field ${this.afterPath.join('.')} is not a group of the record schema ${schema.name ?? ''}`,
      );
    if (this.beforePath) {
      const before = fieldAt(schema, this.beforePath);
      if (!before || !sameShape(before, after))
        throw new DataException(
          `before.field ${this.beforePath.join('.')} must be a group with the same fields as after.field ${this.afterPath.join('.')}`,
        );
    }
    if (!fieldAt(schema, this.opPath))
      throw new DataException(`op.field ${this.opPath.join('.')} is not a field of the record schema`);
    const value = renamed(after, `${record.topic}.Value`);
    const envelope = SchemaBuilder.struct()
      .name(`${record.topic}.Envelope`)
      .version(2)
      .field('before', value)
      .field('after', value)
      .field('source', SOURCE)
      .field('op', SchemaBuilder.string().build())
      .field('ts_ms', SchemaBuilder.int64().optional().build())
      .build();
    let key: Schema | null = null;
    if (this.keyPaths.length > 0) {
      const b = SchemaBuilder.struct().name(`${record.topic}.Key`);
      for (const p of this.keyPaths) {
        const f = fieldAt(value, p);
        if (!f)
          throw new DataException(
            `key field ${p.join('.')} is not a field of the image group ${this.afterPath.join('.')}`,
          );
        b.field(p.join('_'), f);
      }
      key = b.build();
    }
    s = { value, envelope, key };
    this.cache.set(schema, s);
    return s;
  }

  apply<R extends AnyRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) return record;
    if (!(record.value instanceof Struct))
      throw new DataException(
        'MainframeCdcEnvelope needs struct values (use the CopybookConverter as value.converter)',
      );
    const s = this.schemasFor(record);
    const rec = record.value;
    const code = String(valueAt(rec, this.opPath) ?? '').trim();
    const op = this.opMap.get(code);
    if (!op) {
      if (this.skipUnknown) return null;
      throw new DataException(`Unknown CDC operation code "${code}" in ${this.opPath.join('.')}; map it in op.map`);
    }
    const afterImage = rebind(valueAt(rec, this.afterPath), s.value) as Struct | null;
    let before: Struct | null = this.beforePath
      ? (rebind(valueAt(rec, this.beforePath), s.value) as Struct | null)
      : null;
    let after: Struct | null = afterImage;
    if (op === 'd') {
      if (!this.beforePath) before = afterImage;
      after = null;
    }
    if (op === 'c' || op === 'r') before = null;
    let ts = record.timestamp ?? Date.now();
    if (this.tsPath) {
      const raw = valueAt(rec, this.tsPath);
      try {
        ts = this.parseTs(String(raw));
      } catch (err) {
        throw new DataException(`Cannot read the CDC timestamp ${this.tsPath.join('.')}: ${(err as Error).message}`);
      }
    }
    const source = new Struct(SOURCE)
      .put('version', '1.0.0')
      .put('connector', 'mainframe')
      .put('name', this.sourceName)
      .put('ts_ms', ts)
      .put('table', this.table ?? record.topic)
      .put('op_code', code);
    const value = new Struct(s.envelope)
      .put('before', before)
      .put('after', after)
      .put('source', source)
      .put('op', op)
      .put('ts_ms', Date.now());
    let key: unknown = record.key;
    let keySchema = record.keySchema;
    if (s.key) {
      const image = after ?? before;
      const k = new Struct(s.key);
      this.keyPaths.forEach((p, i) => k.put(s.key!.fields[i], valueAt(image, p)));
      key = k;
      keySchema = s.key;
    }
    return record.newRecord({ keySchema, key, valueSchema: s.envelope, value, timestamp: record.timestamp }) as R;
  }
}
