/**
 * Schema change events on the `<topic.prefix>` topic (SchemaFactory.schemaHistoryConnector*):
 * key `SchemaChangeKey{databaseName}`, value `SchemaChangeValue{source, ts_ms, databaseName,
 * schemaName, ddl, tableChanges[Change{type,id,table{…columns[Column]…}}]}`.
 */
import { SchemaBuilder, Schemas, type Schema, Struct } from '../../../sdk/data.ts';
import type { Flavor } from '../source-info.ts';
import type { JsonColumn, JsonTableChange } from './table-changes.ts';

const ns = (flavor: Flavor) => `io.debezium.connector.${flavor}`;

export const SCHEMA_COLUMN_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.schema.Column')
  .version(1)
  .field('name', Schemas.STRING)
  .field('jdbcType', Schemas.INT32)
  .field('nativeType', Schemas.OPTIONAL_INT32)
  .field('typeName', Schemas.STRING)
  .field('typeExpression', Schemas.OPTIONAL_STRING)
  .field('charsetName', Schemas.OPTIONAL_STRING)
  .field('length', Schemas.OPTIONAL_INT32)
  .field('scale', Schemas.OPTIONAL_INT32)
  .field('position', Schemas.INT32)
  .field('optional', Schemas.OPTIONAL_BOOLEAN)
  .field('autoIncremented', Schemas.OPTIONAL_BOOLEAN)
  .field('generated', Schemas.OPTIONAL_BOOLEAN)
  .field('comment', Schemas.OPTIONAL_STRING)
  .field('defaultValueExpression', Schemas.OPTIONAL_STRING)
  .field('enumValues', SchemaBuilder.array(Schemas.STRING).optional().build())
  .build();

export const SCHEMA_TABLE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.schema.Table')
  .version(1)
  .optional()
  .field('defaultCharsetName', Schemas.OPTIONAL_STRING)
  .field('primaryKeyColumnNames', SchemaBuilder.array(Schemas.STRING).optional().build())
  .field('columns', SchemaBuilder.array(SCHEMA_COLUMN_SCHEMA).build())
  .field('comment', Schemas.OPTIONAL_STRING)
  .build();

export const SCHEMA_CHANGE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.schema.Change')
  .version(1)
  .field('type', Schemas.STRING)
  .field('id', Schemas.STRING)
  .field('table', SCHEMA_TABLE_SCHEMA)
  .build();

const keySchemas = new Map<Flavor, Schema>();
const valueSchemas = new Map<string, Schema>();

export function schemaChangeKeySchema(flavor: Flavor): Schema {
  let s = keySchemas.get(flavor);
  if (!s)
    keySchemas.set(
      flavor,
      (s = SchemaBuilder.struct()
        .name(`${ns(flavor)}.SchemaChangeKey`)
        .version(1)
        .field('databaseName', Schemas.STRING)
        .build()),
    );
  return s;
}

export function schemaChangeValueSchema(flavor: Flavor, sourceSchema: Schema): Schema {
  let s = valueSchemas.get(flavor);
  if (!s) {
    s = SchemaBuilder.struct()
      .name(`${ns(flavor)}.SchemaChangeValue`)
      .version(1)
      .field('source', sourceSchema)
      .field('ts_ms', Schemas.INT64)
      .field('databaseName', Schemas.OPTIONAL_STRING)
      .field('schemaName', Schemas.OPTIONAL_STRING)
      .field('ddl', Schemas.OPTIONAL_STRING)
      .field('tableChanges', SchemaBuilder.array(SCHEMA_CHANGE_SCHEMA).build())
      .build();
    valueSchemas.set(flavor, s);
  }
  return s;
}

function columnStruct(c: JsonColumn): Struct {
  return new Struct(SCHEMA_COLUMN_SCHEMA)
    .put('name', c.name)
    .put('jdbcType', c.jdbcType)
    .put('nativeType', c.nativeType ?? null)
    .put('typeName', c.typeName)
    .put('typeExpression', c.typeExpression)
    .put('charsetName', c.charsetName)
    .put('length', c.length ?? null)
    .put('scale', c.scale ?? null)
    .put('position', c.position)
    .put('optional', c.optional)
    .put('autoIncremented', c.autoIncremented)
    .put('generated', c.generated)
    .put('comment', c.comment)
    .put('defaultValueExpression', c.defaultValueExpression ?? null)
    .put('enumValues', c.enumValues && c.enumValues.length > 0 ? c.enumValues : null);
}

export function tableChangeStruct(ch: JsonTableChange): Struct {
  const t = ch.table;
  return new Struct(SCHEMA_CHANGE_SCHEMA)
    .put('type', ch.type)
    .put('id', ch.id)
    .put(
      'table',
      t
        ? new Struct(SCHEMA_TABLE_SCHEMA)
            .put('defaultCharsetName', t.defaultCharsetName)
            .put('primaryKeyColumnNames', t.primaryKeyColumnNames)
            .put('columns', t.columns.map(columnStruct))
            .put('comment', ch.comment !== undefined ? ch.comment : (t.comment ?? null))
        : null,
    );
}
