import { describe, expect, it } from 'vitest';
import { parseDdl } from './ddl/parser.ts';
import { SchemaModel } from './ddl/schema-model.ts';
import { tableChangeJson, tableFromJson, tableIdText } from './table-changes.ts';

/** Debezium 3.5.0's MariaDbAntlrDdlParser + JsonTableChangeSerializer output for DDL below (database db, server charset utf8mb4). */
const DEBEZIUM_CREATE =
  '{"type":"CREATE","id":"\\"db\\".\\"t\\"","table":{"defaultCharsetName":"latin1","primaryKeyColumnNames":["id"],"columns":[{"name":"id","jdbcType":4,"typeName":"INT","typeExpression":"INT","charsetName":null,"position":1,"optional":false,"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":false,"enumValues":[]},{"name":"a","jdbcType":12,"typeName":"VARCHAR","typeExpression":"VARCHAR","charsetName":"latin1","length":10,"position":2,"optional":false,"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":true,"defaultValueExpression":"x","enumValues":[]},{"name":"e","jdbcType":1,"typeName":"ENUM","typeExpression":"ENUM","charsetName":"latin1","length":1,"position":3,"optional":true,"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":true,"enumValues":["\'a\'","\'b\'"]},{"name":"d","jdbcType":3,"typeName":"DECIMAL UNSIGNED","typeExpression":"DECIMAL UNSIGNED","charsetName":null,"length":5,"scale":2,"position":4,"optional":true,"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":true,"defaultValueExpression":"1.5","enumValues":[]},{"name":"ts","jdbcType":2014,"typeName":"TIMESTAMP","typeExpression":"TIMESTAMP","charsetName":null,"length":3,"position":5,"optional":false,"autoIncremented":false,"generated":false,"comment":null,"hasDefaultValue":true,"defaultValueExpression":"1970-01-01 00:00:00","enumValues":[]},{"name":"c","jdbcType":4,"typeName":"INT","typeExpression":"INT","charsetName":null,"position":6,"optional":true,"autoIncremented":true,"generated":true,"comment":null,"hasDefaultValue":true,"enumValues":[]}],"attributes":[]},"comment":null}';
const DDL =
  "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10) NOT NULL DEFAULT 'x', e ENUM('a','b'), d DECIMAL(5,2) UNSIGNED DEFAULT 1.5, ts TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), c INT AUTO_INCREMENT UNIQUE) DEFAULT CHARSET=latin1";

describe('table change documents', () => {
  it('are the ones Debezium writes for the same DDL', () => {
    const m = new SchemaModel();
    m.serverCharset = 'utf8mb4';
    m.currentDatabase = 'db';
    for (const st of parseDdl(DDL)) m.apply(st.ast);
    expect(JSON.stringify(tableChangeJson('CREATE', tableIdText('db', 't'), m.tables.get('db.t')!))).toBe(
      DEBEZIUM_CREATE,
    );
  });

  it('round-trip through the history: the model read back writes the same document and keeps the server-side type', () => {
    const doc = JSON.parse(DEBEZIUM_CREATE) as ReturnType<typeof tableChangeJson>;
    const t = tableFromJson('db', 't', doc.table!, doc.comment);
    expect(JSON.stringify(tableChangeJson('CREATE', tableIdText('db', 't'), t))).toBe(DEBEZIUM_CREATE);
    expect(t.columns.map((c) => `${c.name}:${c.columnType}:${c.nullable}:${c.defaultValue}`)).toEqual([
      'id:int(11):false:null',
      "a:varchar(10):false:'x'",
      "e:enum('a','b'):true:null",
      'd:decimal(5,2) unsigned:true:1.5',
      'ts:timestamp(3):false:current_timestamp(3)',
      'c:int(11):true:null',
    ]);
  });
});
