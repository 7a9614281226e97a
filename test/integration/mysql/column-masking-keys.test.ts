/**
 * column.mask.* / column.truncate.* and message.key.columns against the real MariaDB: the same
 * masked values and custom keys in snapshot (`r`) and binlog (`c`/`u`/`d`) records, a table without
 * a primary key keyed by the listed columns, and an unknown key column failing the task clearly.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { connectorConfig, createDatabase, pollUntil, startTask } from './helpers.ts';

const conns: Connection[] = [];
afterAll(async () => {
  for (const c of conns) await c.end();
});

const fields = (s: Struct | null): Record<string, unknown> | null =>
  s ? Object.fromEntries(s.schema.fields.map((f) => [f.name, s.get(f.name)])) : null;
const envelope = (r: SourceRecord) => r.value as Struct;
const op = (r: SourceRecord) => envelope(r).get('op') as string;

describe('MySQL source: column masking and message.key.columns', () => {
  it('masks, hashes and truncates in snapshot and binlog records and keys by the configured columns', async () => {
    const { db, conn } = await createDatabase('mask');
    conns.push(conn);
    await conn.query(
      "CREATE TABLE customers (id INT PRIMARY KEY, ssn VARCHAR(11), email VARCHAR(16), bio TEXT, tier ENUM('gold','silver'), region VARCHAR(8))",
    );
    await conn.query('CREATE TABLE events (kind VARCHAR(10), seq INT, payload VARCHAR(20))'); // no primary key
    await conn.query(
      "INSERT INTO customers VALUES (1, '111-22-3333', 'ann@example.com', 'first biography', 'gold', 'eu')",
    );
    await conn.query("INSERT INTO events VALUES ('login', 1, 'p1')");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mask-'));
    const config = connectorConfig(db, dir, {
      'column.mask.with.3.chars': `${db}\\.customers\\.(ssn|tier)`,
      'column.mask.hash.v2.SHA-256.with.salt.pepper': `${db}\\.customers\\.email`,
      'column.truncate.to.5.chars': `${db}\\.customers\\.bio`,
      'message.key.columns': `${db}\\.customers:region,id;${db}\\.events:kind,seq`,
    });
    const customers = `dbserver1.${db}.customers`;
    const events = `dbserver1.${db}.events`;
    const { task, abort } = await startTask(config, null, 'mask');
    try {
      const snap = await pollUntil(
        task,
        (all) => all.some((r) => r.topic === customers) && all.some((r) => r.topic === events),
      );
      await conn.query(
        "INSERT INTO customers VALUES (2, '444-55-6666', 'bob@example.com', 'second biography', NULL, 'us')",
      );
      await conn.query("UPDATE customers SET bio = 'changed biography' WHERE id = 1");
      await conn.query("UPDATE customers SET region = 'apac' WHERE id = 2"); // changes the custom key
      await conn.query("INSERT INTO events VALUES ('logout', 2, 'p2')");
      await conn.query("DELETE FROM events WHERE kind = 'login'");
      const stream = await pollUntil(
        task,
        (all) =>
          all.filter((r) => r.topic === customers).length >= 5 &&
          all.filter((r) => r.topic === events && r.value !== null).length >= 2,
      );
      const all = [...snap, ...stream];

      const hash = (v: string) => createHash('sha256').update(`pepper${v}`).digest('hex').slice(0, 16);
      const cust = all.filter((r) => r.topic === customers);
      expect(cust.map((r) => (r.value === null ? 'tombstone' : op(r)))).toEqual(['r', 'c', 'u', 'd', 'tombstone', 'c']);
      expect(fields(envelope(cust[0]).get('after') as Struct)).toEqual({
        id: 1,
        ssn: '***',
        email: hash('ann@example.com'),
        bio: 'first',
        tier: '***',
        region: 'eu',
      });
      // NULL enum under a fixed mask becomes the mask (Debezium's MaskingValueConverter ignores the value).
      expect(fields(envelope(cust[1]).get('after') as Struct)).toEqual({
        id: 2,
        ssn: '***',
        email: hash('bob@example.com'),
        bio: 'secon',
        tier: '***',
        region: 'us',
      });
      expect(fields(envelope(cust[2]).get('before') as Struct)).toMatchObject({ bio: 'first', ssn: '***' });
      expect(fields(envelope(cust[2]).get('after') as Struct)).toMatchObject({ bio: 'chang', ssn: '***' });
      // Keys: the listed columns in table order, never masked.
      expect(cust.map((r) => fields(r.key as Struct))).toEqual([
        { id: 1, region: 'eu' },
        { id: 2, region: 'us' },
        { id: 1, region: 'eu' },
        { id: 2, region: 'us' },
        { id: 2, region: 'us' },
        { id: 2, region: 'apac' },
      ]);
      // A custom-key change is a delete + tombstone + create carrying the other key in a header.
      expect(fields(cust[3].headers.lastWithName('__debezium.newkey')!.value as Struct)).toEqual({
        id: 2,
        region: 'apac',
      });
      expect(fields(cust[5].headers.lastWithName('__debezium.oldkey')!.value as Struct)).toEqual({
        id: 2,
        region: 'us',
      });
      expect(fields(envelope(cust[5]).get('after') as Struct)).toMatchObject({ id: 2, ssn: '***', region: 'apac' });
      expect(cust[0].keySchema!.name).toBe(`${customers}.Key`);
      const valueFields = (envelope(cust[0]).get('after') as Struct).schema.fields;
      expect(valueFields.find((f) => f.name === 'ssn')!.schema.parameters).toMatchObject({ masked: 'true' });
      expect(valueFields.find((f) => f.name === 'bio')!.schema.parameters).toMatchObject({ truncateLength: '5' });

      // The table without a primary key is keyed (so deletes get tombstones).
      const ev = all.filter((r) => r.topic === events);
      expect(ev.map((r) => (r.value === null ? 'tombstone' : op(r)))).toEqual(['r', 'c', 'd', 'tombstone']);
      expect(ev.map((r) => fields(r.key as Struct))).toEqual([
        { kind: 'login', seq: 1 },
        { kind: 'logout', seq: 2 },
        { kind: 'login', seq: 1 },
        { kind: 'login', seq: 1 },
      ]);
    } finally {
      task.stop();
      abort.abort();
    }
  });

  it('fails the task naming the message.key.columns entry when a listed column does not exist', async () => {
    const { db, conn } = await createDatabase('mkc');
    conns.push(conn);
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY, v INT)');
    await conn.query('INSERT INTO t VALUES (1, 1)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mkc-'));
    const { task, abort } = await startTask(
      connectorConfig(db, dir, { 'message.key.columns': `${db}.t:id,nope` }),
      null,
      'mkc',
    );
    try {
      await expect(pollUntil(task, () => false, 20_000)).rejects.toThrow(
        /message\.key\.columns entry .* names column nope, which table .*\.t does not have/,
      );
    } finally {
      task.stop();
      abort.abort();
    }
  });
});
