/**
 * io.debezium.transforms.ByLogicalTableRouter: routes the change events of several physical tables
 * (shards) to one logical topic. When the whole topic matches `topic.regex`, the topic becomes
 * `replaceFirst(topic.replacement)`; the key schema is renamed `<topic>.Key` and (with
 * `key.enforce.uniqueness`) gains a string field `key.field.name` holding the physical table
 * identifier (the old topic, or `key.field.regex` → `key.field.replacement` applied to it); the
 * envelope and row schemas are renamed `<topic>.Envelope` / `<topic>.Value`. Tombstones and
 * non-envelope values keep their value; a null key stays null (and loses its schema, as in Debezium).
 */
import { ConfigDef, ParsedConfig } from '../../sdk/config.ts';
import { ConfigException } from '../../sdk/errors.ts';
import { SchemaBuilder, Schemas, type Schema, Struct } from '../../sdk/data.ts';
import type { AnyRecord, Transformation } from '../../sdk/spi.ts';
import { requireStruct } from '../util/requirements.ts';
import { SmtValidators } from '../util/config.ts';
import {
  compileJavaRegex,
  compileJavaReplacement,
  type JavaPattern,
  type JavaReplacement,
} from '../../sdk/java-regex.ts';
import { smtLogger } from '../util/log.ts';
import { isEnvelopeSchema } from './envelope.ts';

export const BY_LOGICAL_TABLE_ROUTER_CONFIG = new ConfigDef()
  .define({
    name: 'topic.regex',
    type: 'STRING',
    importance: 'LOW',
    validator: SmtValidators.javaRegex(),
    documentation: 'The regex used for extracting the name of the logical table from the original topic name.',
  })
  .define({
    name: 'topic.replacement',
    type: 'STRING',
    importance: 'LOW',
    documentation:
      'The replacement string used in conjunction with topic.regex. This will be used to create the new topic name.',
  })
  .define({
    name: 'key.enforce.uniqueness',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation:
      "Augment each record's key with a field denoting the source topic. This field distinguishes records coming from different physical tables which may otherwise have primary/unique key conflicts. If the source tables are guaranteed to have globally unique keys then this may be set to false to disable key rewriting.",
  })
  .define({
    name: 'key.field.regex',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    validator: SmtValidators.javaRegex(),
    documentation:
      "The regex used for extracting the physical table identifier from the original topic name. Now that multiple physical tables can share a topic, the event's key may need to be augmented to include fields other than just those for the record's primary/unique key, since these are not guaranteed to be unique across tables. We need some identifier added to the key that distinguishes the different physical tables.",
  })
  .define({
    name: 'key.field.name',
    type: 'STRING',
    defaultValue: '__dbz__physicalTableIdentifier',
    importance: 'LOW',
    documentation:
      "Each record's key schema will be augmented with this field name. The purpose of this field is to distinguish the different physical tables that can now share a single topic. Make sure not to configure a field name that is at risk of conflict with existing key schema field names.",
  })
  .define({
    name: 'key.field.replacement',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      "The replacement string used in conjunction with key.field.regex. This will be used to create the physical table identifier in the record's key.",
  })
  .define({
    name: 'schema.name.adjustment.mode',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'LOW',
    validator: SmtValidators.caseInsensitiveValidString('none', 'avro', 'avro_unicode'),
    documentation:
      "Specify how the message key schema names derived from the resulting topic name should be adjusted for compatibility with the message converter used by the connector, including: 'avro' replaces the characters that cannot be used in the Avro type name with underscore; 'avro_unicode' replaces them with _uxxxx; 'none' does not apply any adjustment (default)",
  })
  .define({
    name: 'logical.table.cache.size',
    type: 'INT',
    defaultValue: 16,
    importance: 'LOW',
    documentation:
      'The size used for holding the max entries in LRUCache. The cache will keep the old/new schema for logical table key and value, also cache the derived key and topic regex result for improving the source record transformation.',
  });

/** Debezium's SchemaNameAdjuster for the avro modes: each character invalid in an Avro full name is replaced. */
export function adjustSchemaName(name: string, mode: string): string {
  if (mode === 'none') return name;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    const valid = c === '_' || /[A-Za-z]/.test(c) || (i > 0 && (/[0-9]/.test(c) || c === '.'));
    out += valid ? c : mode === 'avro' ? '_' : `_u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return out;
}

export class ByLogicalTableRouter implements Transformation {
  private topicRegex!: JavaPattern;
  private topicReplacement!: JavaReplacement;
  private keyFieldRegex: JavaPattern | null = null;
  private keyFieldReplacement: JavaReplacement | null = null;
  private keyFieldName = '';
  private keyEnforceUniqueness = true;
  private adjustment = 'none';
  private readonly topics = new Map<string, string | null>();
  private readonly keySchemas = new WeakMap<Schema, Map<string, Schema>>();
  private readonly envelopeSchemas = new WeakMap<Schema, Map<string, Schema>>();

  config(): ConfigDef {
    return BY_LOGICAL_TABLE_ROUTER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(BY_LOGICAL_TABLE_ROUTER_CONFIG, props);
    this.topicRegex = compileJavaRegex(c.getString('topic.regex'), 'topic.regex');
    this.topicReplacement = compileJavaReplacement(
      c.getString('topic.replacement'),
      this.topicRegex,
      'topic.replacement',
    );
    const keyRegex = c.getOptionalString('key.field.regex')?.trim() ?? '';
    const keyReplacement = c.getOptionalString('key.field.replacement')?.trim() ?? '';
    if (keyRegex !== '' && keyReplacement === '') {
      throw new ConfigException(
        'Invalid value null for configuration key.field.replacement: key.field.replacement must be non-empty if key.field.regex is set.',
        { key: 'key.field.replacement' },
      );
    }
    if (keyRegex !== '') {
      this.keyFieldRegex = compileJavaRegex(c.getString('key.field.regex'), 'key.field.regex');
      this.keyFieldReplacement = compileJavaReplacement(
        c.getString('key.field.replacement'),
        this.keyFieldRegex,
        'key.field.replacement',
      );
    } else {
      this.keyFieldRegex = null;
      this.keyFieldReplacement = null;
    }
    this.keyFieldName = c.getString('key.field.name');
    this.keyEnforceUniqueness = c.getBoolean('key.enforce.uniqueness');
    this.adjustment = c.getString('schema.name.adjustment.mode').toLowerCase();
    this.topics.clear();
  }

  private newTopic(old: string): string | null {
    let t = this.topics.get(old);
    if (t === undefined) {
      t = this.topicRegex.matches(old) ? this.topicRegex.replaceFirst(old, this.topicReplacement) : null;
      if (this.topics.size > 10_000) this.topics.clear();
      this.topics.set(old, t);
    }
    return t;
  }

  apply<R extends AnyRecord>(record: R): R {
    const oldTopic = record.topic;
    const newTopic = this.newTopic(oldTopic);
    if (newTopic === null) return record;
    if (newTopic === '') {
      smtLogger('io.debezium.transforms.ByLogicalTableRouter').warn(
        'Routing regex returned an empty topic name, propagating original record',
      );
      return record;
    }
    let keySchema: Schema | null = null;
    let key: Struct | null = null;
    if (record.key !== null && record.key !== undefined) {
      const oldKey = requireStruct(record.key, 'Updating schema');
      keySchema = this.keySchema(oldKey.schema, newTopic);
      key = new Struct(keySchema);
      const n = oldKey.schema.fields.length;
      for (let i = 0; i < n; i++) key.put(keySchema.fields[i], oldKey.get(oldKey.schema.fields[i]));
      if (this.keyEnforceUniqueness) key.put(keySchema.fields[n], this.physicalTableIdentifier(oldTopic));
    }
    if (record.value === null || record.value === undefined || !isEnvelopeSchema(record.valueSchema)) {
      return record.newRecord({ topic: newTopic, keySchema, key }) as R;
    }
    const oldEnvelope = requireStruct(record.value, 'Updating schema');
    const envelopeSchema = this.envelopeSchema(oldEnvelope.schema, newTopic);
    const rowSchema = envelopeSchema.field('before')!.schema;
    const envelope = new Struct(envelopeSchema);
    const fields = oldEnvelope.schema.fields;
    for (let i = 0; i < fields.length; i++) {
      let v = oldEnvelope.get(fields[i]);
      if ((fields[i].name === 'before' || fields[i].name === 'after') && v !== null && v !== undefined) {
        const old = requireStruct(v, 'Updating schema');
        const row = new Struct(rowSchema);
        for (let j = 0; j < old.schema.fields.length; j++) row.put(rowSchema.fields[j], old.get(old.schema.fields[j]));
        v = row;
      }
      envelope.put(envelopeSchema.fields[i], v);
    }
    return record.newRecord({ topic: newTopic, keySchema, key, valueSchema: envelopeSchema, value: envelope }) as R;
  }

  private physicalTableIdentifier(oldTopic: string): string {
    if (this.keyFieldRegex && this.keyFieldRegex.matches(oldTopic))
      return this.keyFieldRegex.replaceFirst(oldTopic, this.keyFieldReplacement!);
    return oldTopic;
  }

  private keySchema(old: Schema, topic: string): Schema {
    let byTopic = this.keySchemas.get(old);
    if (!byTopic) this.keySchemas.set(old, (byTopic = new Map()));
    let s = byTopic.get(topic);
    if (!s) {
      const b = copyExcludingName(old, true).name(adjustSchemaName(`${topic}.Key`, this.adjustment));
      if (this.keyEnforceUniqueness) b.field(this.keyFieldName, Schemas.STRING);
      byTopic.set(topic, (s = b.build()));
    }
    return s;
  }

  private envelopeSchema(old: Schema, topic: string): Schema {
    let byTopic = this.envelopeSchemas.get(old);
    if (!byTopic) this.envelopeSchemas.set(old, (byTopic = new Map()));
    let s = byTopic.get(topic);
    if (!s) {
      const row = copyExcludingName(old.field('before')!.schema, true)
        .name(adjustSchemaName(`${topic}.Value`, this.adjustment))
        .build();
      const b = copyExcludingName(old, false);
      for (const f of old.fields) b.field(f.name, f.name === 'before' || f.name === 'after' ? row : f.schema);
      b.name(adjustSchemaName(`${topic}.Envelope`, this.adjustment));
      byTopic.set(topic, (s = b.build()));
    }
    return s;
  }
}

/** Version, doc, parameters, optionality (and fields) of a struct schema, without its name. */
function copyExcludingName(source: Schema, copyFields: boolean): SchemaBuilder {
  const b = SchemaBuilder.struct();
  if (source.version !== undefined) b.version(source.version);
  if (source.doc !== undefined) b.doc(source.doc);
  if (source.parameters) b.parameters({ ...source.parameters });
  if (source.optional) b.optional();
  if (copyFields) for (const f of source.fields) b.field(f.name, f.schema);
  return b;
}
