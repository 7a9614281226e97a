import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-reader.ts';
import { BINLOG_MAGIC, decodeBinlogFile } from './binlog-file-reader.ts';
import {
  buildEvent,
  datetime2Bytes,
  encodeJsonBinary,
  mysql8FormatDescriptionBody,
  mysqlTableMapBody,
  mysqlWriteRowsBody,
} from './event-builder.ts';
import { EventType } from './event-types.ts';

function binlogFile(corruptLast = false): string {
  const bodies: Array<[number, Buffer]> = [
    [EventType.FORMAT_DESCRIPTION, mysql8FormatDescriptionBody()],
    [EventType.TABLE_MAP, mysqlTableMapBody(42)],
    [
      EventType.WRITE_ROWS_V2,
      mysqlWriteRowsBody(42, {
        id: 1,
        json: encodeJsonBinary({ a: [1, 'x'] }),
        d: datetime2Bytes(2024, 2, 29, 23, 59, 59, 999000, 3),
        u: 5n,
        s: 'naïve',
      }),
    ],
    [EventType.XID, new ByteWriter().u64(9).build()],
  ];
  const parts: Buffer[] = [BINLOG_MAGIC];
  let pos = 4;
  for (const [type, body] of bodies) {
    const len = 19 + body.length + 4;
    parts.push(buildEvent(type, body, { nextPosition: pos + len }));
    pos += len;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-binlog-')), 'binlog.000001');
  const all = Buffer.concat(parts);
  if (corruptLast) all[all.length - 6] ^= 0xff;
  fs.writeFileSync(file, all);
  return file;
}

describe('decodeBinlogFile', () => {
  it('prints every event of a binlog file with positions and named row values', () => {
    const lines: Array<Record<string, unknown>> = [];
    const res = decodeBinlogFile(binlogFile(), (l) => lines.push(l));
    expect(res).toEqual({ events: 4, skipped: 0 });
    expect(lines.map((l) => l.type)).toEqual(['FORMAT_DESCRIPTION', 'TABLE_MAP', 'WRITE_ROWS_V2', 'XID']);
    expect(lines[0].position).toBe(4);
    expect(lines[1].position).toBe(lines[0].nextPosition);
    expect(lines[2]).toMatchObject({
      database: 'db',
      table: 't',
      operation: 'insert',
      rows: [
        { before: null, after: { id: 1, j: '{"a":[1,"x"]}', d: '2024-02-29 23:59:59.999000', u: '5', s: 'naïve' } },
      ],
    });
    expect(lines[3]).toMatchObject({ xid: '9' });
  });

  it('names the file and position of a corrupt event', () => {
    const file = binlogFile(true);
    expect(() => decodeBinlogFile(file, () => undefined)).toThrow(
      /corrupt binlog event in binlog\.000001 at position \d+: binlog event checksum mismatch/,
    );
  });
});
