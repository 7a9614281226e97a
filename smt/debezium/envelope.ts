/** Recognising Debezium change-event envelopes (Envelope / SmtManager#isValidEnvelope). */
import type { Schema } from '../../sdk/data.ts';

/**
 * A Debezium envelope: a struct schema named `*.Envelope` (Debezium's own test), or — so that
 * envelopes renamed by another transform still qualify — one shaped like an envelope: an `op`
 * string field, `before` and `after` struct fields and a `source` field.
 */
export function isEnvelopeSchema(schema: Schema | null | undefined): schema is Schema {
  if (!schema || schema.type !== 'struct') return false;
  if (schema.name?.endsWith('.Envelope')) return true;
  const op = schema.field('op');
  const before = schema.field('before');
  const after = schema.field('after');
  return (
    op?.schema.type === 'string' &&
    before?.schema.type === 'struct' &&
    after?.schema.type === 'struct' &&
    schema.field('source') !== undefined
  );
}
