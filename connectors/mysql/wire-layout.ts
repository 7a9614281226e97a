/**
 * The Debezium wire layout the MySQL/MariaDB connector writes (`tributary.debezium.layout`):
 * `source.version` of the release reproduced, and the `__debezium.context.*` headers
 * (`extended.headers.enabled`) on data-change records, their tombstones and schema-change records
 * (not on transaction or heartbeat records): connectorLogicalName, taskId and connectorName as
 * Debezium's MariaDB connector 3.2.0 writes them, plus runId from 3.5.
 */
import { randomBytes } from 'node:crypto';
import { type Field, type Header, type Schema, type SourceRecord, Schemas, Struct } from '../../sdk/data.ts';
import type { Flavor } from './source-info.ts';

export type MysqlLayout = '3.6' | '3.5' | '3.2';
export const MYSQL_LAYOUTS: readonly MysqlLayout[] = ['3.6', '3.5', '3.2'];
const LAYOUT_VERSION: Record<MysqlLayout, string> = {
  '3.6': '3.6.1.Final',
  '3.5': '3.5.0.Final',
  '3.2': '3.2.0.Final',
};

/** The newest Debezium release served for the connector class: 3.5 for MariaDB's (3.6.x of it is not published), 3.6 for MySQL's. */
export function defaultLayout(flavor: Flavor): MysqlLayout {
  return flavor === 'mariadb' ? '3.5' : '3.6';
}

/** The `source` field of each value schema (null: none), and the `version` field of each source schema: looked up once. */
const SOURCE_FIELDS = new WeakMap<Schema, Field | null>();
const VERSION_FIELDS = new WeakMap<Schema, Field | null>();

function sourceFieldOf(schema: Schema): Field | null {
  let f = SOURCE_FIELDS.get(schema);
  if (f === undefined) {
    f = schema.fields.find((x) => x.name === 'source') ?? null;
    SOURCE_FIELDS.set(schema, f);
  }
  return f;
}

function versionFieldOf(schema: Schema): Field | null {
  let f = VERSION_FIELDS.get(schema);
  if (f === undefined) {
    f = schema.type === 'struct' ? (schema.field('version') ?? null) : null;
    VERSION_FIELDS.set(schema, f);
  }
  return f;
}

/** RFC 9562 version 7: 48-bit Unix milliseconds, version 7, variant 10, random bits (Debezium's runId). */
function uuidV7(nowMs = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class WireLayout {
  private readonly version: string;
  /**
   * The context headers, built once: every record shares these Header objects, so the worker
   * converts them once per topic rather than once per record.
   */
  private readonly headers: readonly Header[] | null;

  /** `plainTopics`: topics whose records carry no context headers (transaction, heartbeat). */
  constructor(
    layout: MysqlLayout,
    flavor: Flavor,
    topicPrefix: string,
    extendedHeaders: boolean,
    private readonly plainTopics: ReadonlySet<string>,
  ) {
    this.version = LAYOUT_VERSION[layout];
    const headers: Array<[string, string]> = [
      ['__debezium.context.connectorLogicalName', topicPrefix],
      ['__debezium.context.taskId', '0'],
      ['__debezium.context.connectorName', flavor],
    ];
    if (layout !== '3.2') headers.push(['__debezium.context.runId', uuidV7()]);
    this.headers = extendedHeaders ? headers.map(([key, value]) => ({ key, value, schema: Schemas.STRING })) : null;
  }

  /** Sets `source.version` and adds the context headers, in place. */
  apply(records: SourceRecord[]): SourceRecord[] {
    for (const r of records) {
      if (r.value instanceof Struct) {
        const field = sourceFieldOf(r.value.schema);
        const source = field ? r.value.valueAt(field.index) : null;
        if (source instanceof Struct) {
          const version = versionFieldOf(source.schema);
          if (version) source.put(version, this.version);
        }
      }
      if (this.headers && !this.plainTopics.has(r.topic)) r.headers.addAll(this.headers);
    }
    return records;
  }
}
