/**
 * The DDL corpus on the real server: every statement the server accepts is applied to the parsed
 * model, and after each one the tables it touched must equal (a) the model built from the server's
 * own SHOW CREATE TABLE and (b) information_schema's columns, nullability, types and ENUM/SET values.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { loadCorpus } from '../../../connectors/mysql/schema/ddl/corpus/corpus.ts';
import { parseDdl } from '../../../connectors/mysql/schema/ddl/parser.ts';
import { SchemaModel } from '../../../connectors/mysql/schema/ddl/schema-model.ts';
import { loadTables } from '../../../connectors/mysql/schema/information-schema.ts';
import type { ColumnDefinition, TableDefinition } from '../../../connectors/mysql/schema/table-definition.ts';
import { adminConnection, uniqueName } from './helpers.ts';

const NUMERIC = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'float', 'double', 'year']);
const SIZED = new Set(['char', 'varchar', 'binary', 'varbinary', 'decimal', 'bit']);

function normDefault(c: ColumnDefinition): string | null {
  if (c.defaultValue === null) return null;
  let d = c.defaultValue.replace(/^'(.*)'$/s, '$1').replace(/''/g, "'");
  if (NUMERIC.has(c.dataType) && d !== '' && !Number.isNaN(Number(d))) d = String(Number(d));
  // The server qualifies names in expressions (nextval(`db`.`seq`)).
  return d
    .toLowerCase()
    .replace(/`[^`]*`\./g, '')
    .replace(/[`\s]/g, '');
}

/** The attributes compared: those the DDL determines (display widths of integers are not). */
function view(t: TableDefinition) {
  return {
    defaultCharset: t.defaultCharset,
    comment: t.comment,
    primaryKey: t.primaryKey,
    columns: t.columns.map((c) => ({
      name: c.name,
      position: c.position,
      dataType: c.dataType,
      unsigned: c.unsigned,
      nullable: c.nullable,
      charset: c.charset,
      enumValues: c.enumValues,
      autoIncrement: c.autoIncrement,
      default: normDefault(c),
      comment: c.comment,
      json: c.json,
      fsp: c.fsp,
      size: SIZED.has(c.dataType) ? [c.length, c.scale ?? 0] : null,
    })),
  };
}

let conn: Connection | undefined;
afterAll(async () => {
  await conn?.end();
});

describe('DDL corpus on MariaDB', () => {
  it('gives the model SHOW CREATE TABLE and information_schema give, statement by statement', async () => {
    conn = await adminConnection();
    const [[vars]] = (await conn.query('SELECT @@character_set_server AS cs')) as unknown as [Array<{ cs: string }>];
    const rejected: string[] = [];
    const mismatches: string[] = [];
    let executed = 0;
    let compared = 0;
    for (const group of loadCorpus().filter((g) => !g.parseOnly)) {
      const db = uniqueName('corpus');
      await conn.query(`CREATE DATABASE \`${db}\``);
      await conn.query(`USE \`${db}\``);
      const model = new SchemaModel();
      model.serverCharset = vars.cs;
      model.currentDatabase = db;
      model.databaseCharsets.set(db, vars.cs);
      try {
        for (const sql of group.statements) {
          try {
            await conn.query(sql);
          } catch (err) {
            rejected.push(`${group.name}: ${sql.slice(0, 60)} (${(err as Error).message.slice(0, 60)})`);
            continue;
          }
          executed++;
          const touched: Array<{ database: string; table: string; type: string }> = [];
          for (const st of parseDdl(sql)) {
            if (st.ast.kind === 'use') continue; // the test session stays in the group's database
            touched.push(...model.apply(st.ast).changes);
          }
          for (const ch of touched) {
            const [rows] = (await conn.query(
              'SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
              [ch.database, ch.table],
            )) as unknown as [Array<{ TABLE_TYPE: string }>];
            const ours = model.tables.get(`${ch.database}.${ch.table}`);
            if (!rows.length || !['BASE TABLE', 'SYSTEM VERSIONED'].includes(rows[0].TABLE_TYPE)) {
              if (ours)
                mismatches.push(
                  `${group.name}: ${sql.slice(0, 60)} → ${ch.table} is not on the server but in the model`,
                );
              continue;
            }
            if (!ours) {
              mismatches.push(`${group.name}: ${sql.slice(0, 60)} → ${ch.table} missing from the model`);
              continue;
            }
            const [[create]] = (await conn.query(
              `SHOW CREATE TABLE \`${ch.database}\`.\`${ch.table.replace(/`/g, '``')}\``,
            )) as unknown as [Array<Record<string, string>>];
            const fromServer = new SchemaModel();
            fromServer.currentDatabase = ch.database;
            fromServer.serverCharset = model.databaseCharsets.get(ch.database) ?? vars.cs;
            for (const st of parseDdl(create['Create Table'])) fromServer.apply(st.ast);
            const theirs = fromServer.tables.get(`${ch.database}.${ch.table}`)!;
            compared++;
            const a = JSON.stringify(view(ours));
            const b = JSON.stringify(view(theirs));
            if (a !== b)
              mismatches.push(`${group.name}: ${sql.slice(0, 80)}\n  model:       ${a}\n  SHOW CREATE: ${b}`);
            if (rows[0].TABLE_TYPE !== 'BASE TABLE') continue; // loadTables reads base tables only
            const [info] = await loadTables(conn, [], [[ch.database, ch.table]]);
            const infoView = info.columns.map((c) => [
              c.name,
              c.dataType,
              c.nullable,
              c.enumValues.join('|'),
              c.charset,
            ]);
            const ourView = ours.columns.map((c) => [
              c.name,
              c.dataType,
              c.nullable,
              c.enumValues.join('|'),
              c.charset,
            ]);
            if (JSON.stringify(infoView) !== JSON.stringify(ourView))
              mismatches.push(
                `${group.name}: ${sql.slice(0, 80)}\n  model:              ${JSON.stringify(ourView)}\n  information_schema: ${JSON.stringify(infoView)}`,
              );
          }
        }
      } finally {
        await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
        await conn.query('DROP DATABASE IF EXISTS corpus_side').catch(() => undefined);
        await conn.query('DROP DATABASE IF EXISTS corpus_side2').catch(() => undefined);
      }
    }
    console.log(
      `DDL corpus: ${executed} statements executed, ${compared} table comparisons, ${rejected.length} rejected by the server`,
    );
    expect(mismatches).toEqual([]);
    console.log(rejected.join('\n'));
    expect(executed).toBeGreaterThan(230);
    expect(rejected).toEqual([]);
  }, 300_000);
});
