/**
 * io.debezium.transforms.ByLogicalTableRouter: routes the change events of several physical
 * tables (e.g. shards) to one logical topic. Key and envelope schemas are renamed after the new
 * topic (`<topic>.Key`, `<topic>.Envelope`, `<topic>.Value`), and with `key.enforce.uniqueness`
 * the key gains a field naming the physical table so keys from different shards stay distinct.
 */
import { ConfigDef, ParsedConfig, Validators } from '../../runtime/config/config-def.ts';
import { SchemaBuilder, Schemas, type Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import type { AnyRecord, Transformation } from '../../runtime/spi/transformation.ts';
import { copySchemaBasics, rebindStruct } from '../util/schema-util.ts';
import { javaReplacement } from '../util/java-regex.ts';

export const BY_LOGICAL_TABLE_ROUTER_CONFIG = new ConfigDef()
  .define({ name: 'topic.regex', type: 'STRING', importance: 'LOW', documentation: 'The regex used for extracting the name of the logical table from the original topic name.', validator: Validators.regex() })
  .define({ name: 'topic.replacement', type: 'STRING', importance: 'LOW', documentation: 'The replacement string used in conjunction with topic.regex. This will be used to create the new topic name.' })
  .define({ name: 'key.enforce.uniqueness', type: 'BOOLEAN', defaultValue: true, importance: 'LOW', documentation: 'Augment each record\'s key with a field denoting the source topic, so keys of different physical tables stay unique in the logical topic.' })
  .define({ name: 'key.field.name', type: 'STRING', defaultValue: '__dbz__physicalTableIdentifier', importance: 'LOW', documentation: 'Name of the key field holding the physical table identifier.' })
  .define({ name: 'key.field.regex', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'The regex used for extracting the physical table identifier from the original topic name.', validator: Validators.regex() })
  .define({ name: 'key.field.replacement', type: 'STRING', defaultValue: null, importance: 'LOW', documentation: 'The replacement string used in conjunction with key.field.regex.' });


export class ByLogicalTableRouter implements Transformation {
  private topicRegex!: RegExp;
  private topicReplacement = '';
  private enforceUniqueness = true;
  private keyFieldName = '';
  private keyFieldRegex: RegExp | null = null;
  private keyFieldReplacement = '';
  private readonly keySchemas = new Map<string, Schema>();
  private readonly envelopeSchemas = new Map<string, Schema>();

  config(): ConfigDef { return BY_LOGICAL_TABLE_ROUTER_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(BY_LOGICAL_TABLE_ROUTER_CONFIG, props);
    this.topicRegex = new RegExp(`^(?:${c.getString('topic.regex')})$`);
    this.topicReplacement = javaReplacement(c.getString('topic.replacement'));
    this.enforceUniqueness = c.getBoolean('key.enforce.uniqueness');
    this.keyFieldName = c.getString('key.field.name');
    const kr = c.getOptionalString('key.field.regex');
    this.keyFieldRegex = kr ? new RegExp(`^(?:${kr})$`) : null;
    this.keyFieldReplacement = javaReplacement(c.getOptionalString('key.field.replacement') ?? '');
  }

  apply<R extends AnyRecord>(record: R): R {
    if (!this.topicRegex.test(record.topic)) return record;
    const newTopic = record.topic.replace(this.topicRegex, this.topicReplacement);
    let keySchema = record.keySchema;
    let key = record.key;
    if (keySchema && keySchema.type === 'struct' && key instanceof Struct) {
      const physical = this.keyFieldRegex && this.keyFieldRegex.test(record.topic) ? record.topic.replace(this.keyFieldRegex, this.keyFieldReplacement) : record.topic;
      keySchema = this.cached(this.keySchemas, `${newTopic}\u0000${keySchema.name}\u0000${keySchema.fields.length}`, () => {
        const b = copySchemaBasics({ ...keySchema!, name: undefined } as Schema, SchemaBuilder.struct()).name(`${newTopic}.Key`);
        for (const f of keySchema!.fields) b.field(f.name, f.schema);
        if (this.enforceUniqueness) b.field(this.keyFieldName, Schemas.STRING);
        return b.build();
      });
      const newKey = new Struct(keySchema);
      for (const f of key.schema.fields) newKey.put(f.name, key.getWithoutDefault(f.name));
      if (this.enforceUniqueness) newKey.put(this.keyFieldName, physical);
      key = newKey;
    }
    let valueSchema = record.valueSchema;
    let value = record.value;
    if (valueSchema && valueSchema.name?.endsWith('.Envelope') && value instanceof Struct) {
      const envelope = valueSchema;
      valueSchema = this.cached(this.envelopeSchemas, `${newTopic}\u0000${envelope.name}\u0000${envelope.fields.length}`, () => {
        const rowSchema = envelope.field('after')?.schema ?? envelope.field('before')?.schema;
        const row = rowSchema ? renamedRow(rowSchema, `${newTopic}.Value`) : undefined;
        const b = copySchemaBasics({ ...envelope, name: undefined } as Schema, SchemaBuilder.struct()).name(`${newTopic}.Envelope`);
        for (const f of envelope.fields) b.field(f.name, (f.name === 'before' || f.name === 'after') && row ? row : f.schema);
        return b.build();
      });
      const out = new Struct(valueSchema);
      for (const f of envelope.fields) {
        const v = value.getWithoutDefault(f.name);
        out.put(f.name, (f.name === 'before' || f.name === 'after') && v instanceof Struct ? rebindStruct(v, valueSchema.field(f.name)!.schema) : v);
      }
      value = out;
    }
    return record.newRecord({ topic: newTopic, keySchema, key, valueSchema, value }) as R;
  }

  private cached(map: Map<string, Schema>, key: string, build: () => Schema): Schema {
    let s = map.get(key);
    if (!s) map.set(key, (s = build()));
    return s;
  }
}

function renamedRow(schema: Schema, name: string): Schema {
  const b = copySchemaBasics({ ...schema, name: undefined } as Schema, SchemaBuilder.struct()).name(name);
  for (const f of schema.fields) b.field(f.name, f.schema);
  return b.build();
}
