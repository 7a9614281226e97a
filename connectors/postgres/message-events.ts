/**
 * Logical decoding messages (pg_logical_emit_message) as Debezium's `op=m` events on
 * `<topic.prefix>.message`: key `MessageKey{prefix}`, value `MessageValue{op, ts_ms, source,
 * transaction, message{prefix, content}}` with content under binary.handling.mode.
 */
import {
  SchemaBuilder,
  Schemas,
  type Schema,
  Struct,
  SourceRecord,
  type SourceOffset,
  type SourcePartition,
} from '../../sdk/data.ts';
import { TRANSACTION_BLOCK_SCHEMA, sanitizeTopicName } from '../shared/debezium/index.ts';
import type { PostgresConnectorSettings } from './config.ts';
import { postgresSourceSchema } from './source-info.ts';

export const MESSAGE_KEY_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.MessageKey')
  .version(1)
  .field('prefix', Schemas.OPTIONAL_STRING)
  .build();

export class MessageEvents {
  readonly topic: string;
  private readonly blockSchema: Schema;
  readonly valueSchema: Schema;

  constructor(private readonly settings: PostgresConnectorSettings) {
    this.topic = sanitizeTopicName(`${settings.topicPrefix}${settings.topicDelimiter}message`);
    const content =
      settings.binaryMode === 'bytes' ? SchemaBuilder.bytes().optional().build() : Schemas.OPTIONAL_STRING;
    this.blockSchema = SchemaBuilder.struct()
      .name('io.debezium.connector.postgresql.Message')
      .version(1)
      .field('prefix', Schemas.OPTIONAL_STRING)
      .field('content', content)
      .build();
    this.valueSchema = SchemaBuilder.struct()
      .name('io.debezium.connector.postgresql.MessageValue')
      .version(1)
      .field('op', Schemas.STRING)
      .field('ts_ms', Schemas.OPTIONAL_INT64)
      .field('source', postgresSourceSchema(settings.layout))
      .field('transaction', TRANSACTION_BLOCK_SCHEMA)
      .field('message', this.blockSchema)
      .build();
  }

  private content(b: Buffer): Buffer | string {
    switch (this.settings.binaryMode) {
      case 'bytes':
        return b;
      case 'base64':
        return b.toString('base64');
      case 'base64-url-safe': {
        const s = b.toString('base64url');
        return s + '='.repeat((4 - (s.length % 4)) % 4);
      }
      case 'hex':
        return b.toString('hex');
    }
  }

  record(opts: {
    partition: SourcePartition;
    offset: SourceOffset;
    source: Struct;
    prefix: string;
    content: Buffer;
    transaction: Struct | null;
  }): SourceRecord {
    const now = Date.now();
    const value = new Struct(this.valueSchema)
      .put('op', 'm')
      .put('ts_ms', now)
      .put('source', opts.source)
      .put('transaction', opts.transaction)
      .put(
        'message',
        new Struct(this.blockSchema).put('prefix', opts.prefix).put('content', this.content(opts.content)),
      );
    return new SourceRecord({
      topic: this.topic,
      sourcePartition: opts.partition,
      sourceOffset: opts.offset,
      keySchema: MESSAGE_KEY_SCHEMA,
      key: new Struct(MESSAGE_KEY_SCHEMA).put('prefix', opts.prefix),
      valueSchema: this.valueSchema,
      value,
      timestamp: now,
    });
  }
}
