/**
 * Which registered schema a serializer writes with, as Confluent's AbstractKafkaSchemaSerDe
 * decides: a fixed `use.schema.id`, else register (`auto.register.schemas`), else the subject's
 * latest version (`use.latest.version`), else look up the exact schema under the subject.
 */
import type { SerdeSettings } from './serde-config.ts';
import type { RegisteredSchema, SchemaDefinition } from './types.ts';

export interface WriterSchema {
  /** The id written into the wire-format header. */
  id: number;
  subject: string;
  /** The registered schema to encode with: the converter's own unless use.latest.version / use.schema.id chose another. */
  registered: RegisteredSchema;
  /** True when `registered` is not the schema the converter derived from the Connect schema. */
  foreign: boolean;
}

export async function resolveWriterSchema(
  serde: SerdeSettings,
  topic: string,
  isKey: boolean,
  recordName: string,
  def: SchemaDefinition,
): Promise<WriterSchema> {
  const subject = serde.subjectFor(topic, isKey, recordName);
  const { client } = serde;
  if (serde.useSchemaId >= 0) {
    const registered = await client.getById(serde.useSchemaId, subject);
    return { id: registered.id, subject, registered, foreign: registered.schema !== def.schema };
  }
  if (serde.autoRegister) {
    const id = await client.register(subject, def, serde.normalize);
    return { id, subject, registered: { ...def, id, subject }, foreign: false };
  }
  if (serde.useLatestVersion) {
    const registered = await client.getLatest(subject);
    return { id: registered.id, subject, registered, foreign: registered.schema !== def.schema };
  }
  const registered = await client.lookup(subject, def, serde.normalize);
  return {
    id: registered.id,
    subject,
    registered: { ...def, id: registered.id, subject, version: registered.version },
    foreign: false,
  };
}
