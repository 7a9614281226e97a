/**
 * The LOAD DATA path's pieces without a server: the field text, the in-memory file registry (a
 * server may ask for any file name; only the sink's own are served), and the fallback to INSERT
 * statements when the server refuses LOAD DATA LOCAL. The integration test
 * (test/integration/jdbc/sink-task.test.ts) and the differential against Debezium's sink
 * (test/compat/jdbc-sink.test.ts) run it against MariaDB.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../config.ts';
import type { RowBatch } from '../dialect.ts';
import { InfileRegistry, loadDataChunks, loadDataField } from './mysql-load-data.ts';
import { MySqlDialect } from './mysql.ts';

async function text(r: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of r) parts.push(p as Buffer);
  return Buffer.concat(parts).toString();
}

describe('LOAD DATA text', () => {
  it('escapes what LOAD DATA reads specially and writes null as \\N', () => {
    expect(loadDataField(null)).toBe('\\N');
    expect(loadDataField('\\N')).toBe('\\\\N');
    expect(loadDataField('a\tb\nc\rd\0e\\f')).toBe('a\\tb\\nc\\rd\\0e\\\\f');
    expect(loadDataField('NULL')).toBe('NULL');
    expect(loadDataField(true)).toBe('1');
    expect(loadDataField(12345678901234567890n)).toBe('12345678901234567890');
    expect(loadDataField(0.1)).toBe('0.1');
    expect(() => loadDataField(Buffer.from('x'))).toThrow(/cannot carry a value of type object/);
  });

  it('streams rows in chunks that end on row boundaries', async () => {
    const rows = Array.from({ length: 5000 }, (_x, i) => [i, `v${i}`.repeat(5), null]);
    const chunks = [...loadDataChunks(rows, (v) => v)];
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.at(-1)).toBe(0x0a);
    const lines = Buffer.concat(chunks).toString().split('\n');
    expect(lines.length).toBe(5001);
    expect(lines[4999]).toBe(`4999\t${'v4999'.repeat(5)}\t\\N`);
  });

  it('serves each registered file once and refuses any other name the server asks for', async () => {
    const reg = new InfileRegistry();
    const name = reg.register(() => Readable.from([Buffer.from('1\tx\n')]));
    expect(await text(reg.open(name))).toBe('1\tx\n');
    await expect(text(reg.open(name))).rejects.toThrow(/did not offer; refused/);
    await expect(text(reg.open('/etc/passwd'))).rejects.toThrow(/"\/etc\/passwd", which this sink did not offer/);
  });
});

describe('LOAD DATA refused by the server', () => {
  it('falls back to INSERT statements, warns once, and does not try LOAD DATA again', async () => {
    const settings = resolveSettings({
      'connection.url': 'jdbc:mariadb://127.0.0.1:1/db',
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'tributary.mysql.load.data.min.rows': '1',
    });
    const warnings: string[] = [];
    const logger = { warn: (_o: unknown, msg: string) => warnings.push(msg), debug: () => undefined };
    const dialect = new MySqlDialect(settings, logger as never);
    const statements: string[] = [];
    const fake = {
      query: async (sql: string) => {
        statements.push(sql.split(' ').slice(0, 3).join(' '));
        if (sql.startsWith('LOAD DATA'))
          throw Object.assign(
            new Error(
              'The used command is not allowed because the MariaDB server or client has disabled the local infile capability',
            ),
            { errno: 4166 },
          );
        return [{ affectedRows: 0, warningStatus: 0 }];
      },
      execute: async (sql: string) => {
        statements.push(sql.split(' ').slice(0, 2).join(' '));
        return [{ affectedRows: 1 }];
      },
    };
    (dialect as unknown as { conn: unknown }).conn = fake;
    const batch: RowBatch = {
      table: { schema: null, name: 't', id: 't' },
      keyColumns: [{ name: 'id', type: { kind: 'int64' }, optional: false }],
      valueColumns: [{ name: 's', type: { kind: 'string' }, optional: true }],
      rows: [
        [1, 'a'],
        [2, null],
      ],
    };
    await dialect.write(batch, 'upsert', settings);
    expect(statements).toEqual(['CREATE TEMPORARY TABLE', 'LOAD DATA LOCAL', 'DROP TEMPORARY TABLE', 'INSERT INTO']);
    expect(warnings).toEqual([
      expect.stringMatching(/refuses LOAD DATA LOCAL INFILE \(allow it with SET GLOBAL local_infile=1\)/),
    ]);
    statements.length = 0;
    await dialect.write(batch, 'upsert', settings);
    expect(statements).toEqual(['INSERT INTO']);
    expect(warnings.length).toBe(1);
  });
});
