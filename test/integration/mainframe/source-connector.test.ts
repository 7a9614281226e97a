/**
 * End to end: generated EBCDIC files (VB with BDW+RDW and two segment types, and fixed-length)
 * go through MainframeFileSourceConnector in a worker on the embedded log; every record read back
 * from the log is compared field by field with the values it was generated from. Then records
 * are appended (op=c) and the worker is restarted to check that reading resumes at exactly the
 * next record.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { JsonConverter } from '../../../runtime/converters/json-converter.ts';
import { BigDecimal } from '../../../runtime/data/logical.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { encodeBinary, encodePacked, encodeText, encodeZoned, vbBlock } from '../../../connectors/mainframe/testing.ts';
import { waitFor } from '../../helpers/wait.ts';

const COPYBOOK = `
      * Customers (segment C) and their accounts (segment A) in one VB file
       01  REC.
           05  SEG-TYPE            PIC X.
           05  CUSTOMER.
               10  CUST-ID         PIC 9(7) COMP-3.
               10  CUST-NAME       PIC X(20).
               10  BALANCE         PIC S9(9)V99 COMP-3.
               10  SCORE           PIC S9(4) COMP.
               10  PHONE-COUNT     PIC 9.
               10  PHONES OCCURS 0 TO 3 TIMES DEPENDING ON PHONE-COUNT.
                   15  PHONE       PIC X(10).
           05  ACCOUNT REDEFINES CUSTOMER.
               10  ACCT-NO         PIC 9(10).
               10  AMOUNT          PIC S9(7)V99.
               10  OPENED          PIC 9(8) COMP.
               10  FILLER          PIC X(4).
`;

interface Customer {
  kind: 'C';
  id: number;
  name: string;
  balance: bigint;
  score: number;
  phones: string[];
}
interface Account {
  kind: 'A';
  acct: number;
  amount: bigint;
  opened: number;
}
type Gen = Customer | Account;

function encode(r: Gen): Buffer {
  if (r.kind === 'C') {
    return Buffer.concat([
      encodeText('C', 1),
      encodePacked(r.id, 7, false),
      encodeText(r.name, 20),
      encodePacked(r.balance, 11),
      encodeBinary(r.score, 2),
      encodeZoned(r.phones.length, 1, false),
      ...r.phones.map((p) => encodeText(p, 10)),
    ]);
  }
  return Buffer.concat([
    encodeText('A', 1),
    encodeZoned(r.acct, 10, false),
    encodeZoned(r.amount, 9),
    encodeBinary(r.opened, 4),
    encodeText('', 4),
  ]);
}

function generate(from: number, count: number): Gen[] {
  const out: Gen[] = [];
  for (let i = from; i < from + count; i++) {
    out.push({
      kind: 'C',
      id: 1000 + i,
      name: `CUSTOMER ${i}`,
      balance: BigInt((i % 2 ? -1 : 1) * (i * 1234567 + 89)),
      score: ((i * 37) % 2000) - 1000,
      phones: Array.from({ length: i % 4 }, (_, k) => `555-${String(i).padStart(3, '0')}-${k}`),
    });
    for (let k = 0; k < i % 3; k++)
      out.push({ kind: 'A', acct: 9_000_000_000 + i * 10 + k, amount: BigInt(-(i * 100 + k)), opened: 20240101 + k });
  }
  return out;
}

function vbFile(records: Gen[], perBlock = 4): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i < records.length; i += perBlock) blocks.push(vbBlock(records.slice(i, i + perBlock).map(encode)));
  return Buffer.concat(blocks);
}

const converter = new JsonConverter();
converter.configure({ 'schemas.enable': 'true', 'decimal.format': 'NUMERIC' }, false);

function readTopic(worker: RunningWorker, topic: string): Array<{ key: Struct | null; value: Struct }> {
  return worker.embedded.log.read({ topic, partition: 0 }, 0, { maxRecords: 100_000 }).map((r) => ({
    key: r.key ? (converter.toConnectData(topic, r.key) as { value: Struct }).value : null,
    value: (converter.toConnectData(topic, r.value!) as { value: Struct }).value,
  }));
}

function expectMatches(after: Struct, g: Gen): void {
  expect(after.get('SEG_TYPE')).toBe(g.kind);
  if (g.kind === 'C') {
    expect(after.get('ACCOUNT')).toBeNull();
    const c = after.get('CUSTOMER') as Struct;
    expect(c.get('CUST_ID')).toBe(g.id);
    expect(c.get('CUST_NAME')).toBe(g.name);
    expect(c.get('BALANCE')).toEqual(new BigDecimal(g.balance, 2));
    expect(c.get('SCORE')).toBe(g.score);
    expect(c.get('PHONE_COUNT')).toBe(g.phones.length);
    expect((c.get('PHONES') as Struct[]).map((p) => p.get('PHONE'))).toEqual(g.phones);
  } else {
    expect(after.get('CUSTOMER')).toBeNull();
    const a = after.get('ACCOUNT') as Struct;
    expect(Number(a.get('ACCT_NO'))).toBe(g.acct);
    expect(a.get('AMOUNT')).toEqual(new BigDecimal(g.amount, 2));
    expect(a.get('OPENED')).toBe(g.opened);
  }
}

const workers: RunningWorker[] = [];
afterAll(async () => {
  for (const w of workers) await w.stop();
});

async function startWorker(dir: string): Promise<RunningWorker> {
  const w = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': dir,
      'offset.flush.interval.ms': '0',
      'tributary.log.sync': 'os',
    },
    { logger: silentLogger },
  );
  workers.push(w);
  return w;
}

async function createConnector(w: RunningWorker, name: string, config: Record<string, string>): Promise<void> {
  const res = await fetch(`${w.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, config }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

describe('MainframeFileSourceConnector on the embedded log', () => {
  it('streams a VB file with two segment types, then appended records, and resumes exactly after a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mainframe-'));
    const dataDir = path.join(dir, 'in');
    fs.mkdirSync(dataDir);
    const copybook = path.join(dir, 'rec.cpy');
    fs.writeFileSync(copybook, COPYBOOK);
    const file = path.join(dataDir, 'customers.vb');
    const initial = generate(0, 40);
    fs.writeFileSync(file, vbFile(initial));
    const topic = 'mf.customers';

    let worker = await startWorker(path.join(dir, 'data'));
    await createConnector(worker, 'mf-source', {
      'connector.class': 'MainframeFileSourceConnector',
      topic,
      'input.path': dataDir,
      copybook,
      'record.format': 'VB',
      'variable.size.occurs': 'true',
      'segment.field': 'SEG-TYPE',
      'segment.redefines': 'C=CUSTOMER,A=ACCOUNT',
      'segment.children': 'CUSTOMER=>ACCOUNT',
      'key.fields': 'Seg_Id0,Seg_Id1',
      'poll.interval.ms': '100',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.decimal.format': 'NUMERIC',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    });
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= initial.length, {
      timeoutMs: 30_000,
      what: 'snapshot records',
    });
    let got = readTopic(worker, topic);
    expect(got).toHaveLength(initial.length);
    let customerId: string | null = null;
    got.forEach(({ key, value }, i) => {
      expect(value.get('op')).toBe('r');
      const source = value.get('source') as Struct;
      expect(source.get('file')).toBe(path.resolve(file));
      expect(source.get('snapshot')).toBe('true');
      expect(source.get('segment')).toBe(initial[i].kind);
      const after = value.get('after') as Struct;
      expectMatches(after, initial[i]);
      // hierarchy: accounts carry the id of the customer before them
      if (initial[i].kind === 'C') {
        customerId = after.get('Seg_Id0') as string;
        expect(after.get('Seg_Id1')).toBeNull();
      } else expect(after.get('Seg_Id0')).toBe(customerId);
      expect(key!.get('Seg_Id0')).toBe(after.get('Seg_Id0'));
    });

    // appended blocks are read as creates
    const appended = generate(40, 5);
    fs.appendFileSync(file, vbFile(appended));
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= initial.length + appended.length, {
      timeoutMs: 30_000,
      what: 'appended records',
    });
    got = readTopic(worker, topic);
    got.slice(initial.length).forEach(({ value }, i) => {
      expect(value.get('op')).toBe('c');
      expectMatches(value.get('after') as Struct, appended[i]);
    });

    // restart: records written while the worker is down are read once, none repeated
    await worker.stop();
    workers.pop();
    // starts with more accounts of the last customer read before the restart: their parent id
    // comes from the segment ids stored in the source offset
    const whileDown: Gen[] = [{ kind: 'A', acct: 9_999_999_999, amount: -1n, opened: 20250101 }, ...generate(45, 6)];
    fs.appendFileSync(file, vbFile(whileDown, 3));
    worker = await startWorker(path.join(dir, 'data'));
    const total = initial.length + appended.length + whileDown.length;
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= total, {
      timeoutMs: 30_000,
      what: 'records after restart',
    });
    await new Promise((r) => setTimeout(r, 300));
    got = readTopic(worker, topic);
    expect(got).toHaveLength(total);
    const all = [...initial, ...appended, ...whileDown];
    got.forEach(({ value }, i) => expectMatches(value.get('after') as Struct, all[i]));
    // the hierarchy continues across the restart
    let parent: unknown = null;
    got.forEach(({ value }) => {
      const after = value.get('after') as Struct;
      if (after.get('SEG_TYPE') === 'C') parent = after.get('Seg_Id0');
      else expect(after.get('Seg_Id0')).toBe(parent);
    });
    const firstAfter = got[initial.length + appended.length].value.get('after') as Struct;
    expect(firstAfter.get('SEG_TYPE')).toBe('A');
    expect(firstAfter.get('Seg_Id0')).toMatch(/^L0_\d+$/);
    const offsets = (await (await fetch(`${worker.url}/connectors/mf-source/offsets`)).json()) as {
      offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> }>;
    };
    expect(offsets.offsets).toEqual([
      {
        partition: { file: path.resolve(file) },
        offset: expect.objectContaining({ position: fs.statSync(file).size }),
      },
    ]);
  }, 90_000);

  it('reads fixed-length EBCDIC files of a directory without an envelope, skipping header and trailer, and picks up new files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mainframe-f-'));
    const inDir = path.join(dir, 'in');
    fs.mkdirSync(inDir);
    const rows = Array.from({ length: 40 }, (_, i) => ({
      id: i + 1,
      price: BigInt(i * 1001 - 5000),
      qty: i * 3 - 10,
      name: `ITEM-${i}€`,
    }));
    const encodeRows = (rs: typeof rows) =>
      Buffer.concat(
        rs.map((r) =>
          Buffer.concat([
            encodePacked(r.id, 5),
            encodeZoned(r.price, 7),
            encodeBinary(r.qty, 4),
            encodeText(r.name, 12, 'cp1140'),
          ]),
        ),
      );
    // an 8-byte header and a 5-byte trailer around the records
    fs.writeFileSync(
      path.join(inDir, 'items-1.dat'),
      Buffer.concat([encodeText('HEADER01', 8), encodeRows(rows.slice(0, 25)), encodeText('TRAIL', 5)]),
    );
    fs.writeFileSync(path.join(inDir, 'ignored.txt'), 'not a data file');
    const worker = await startWorker(path.join(dir, 'data'));
    const topic = 'mf.items';
    await createConnector(worker, 'mf-fixed', {
      'connector.class': 'io.tributary.connector.mainframe.MainframeFileSourceConnector',
      topic,
      'input.path': inDir,
      'input.file.pattern': '\\.dat$',
      record_format: 'F',
      ebcdic_code_page: 'cp1140',
      envelope: 'none',
      'key.fields': 'ITEM-ID',
      file_start_offset: '8',
      'file.end.offset': '5',
      'copybook.contents':
        '01 ITEM.\n 05 ITEM-ID PIC S9(5) COMP-3.\n 05 PRICE PIC S9(5)V99.\n 05 QTY PIC S9(9) COMP.\n 05 NAME PIC X(12).',
      'copybook.format': 'free',
      'poll.interval.ms': '100',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.decimal.format': 'NUMERIC',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    });
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= 25, {
      timeoutMs: 30_000,
      what: 'fixed records',
    });
    fs.writeFileSync(
      path.join(inDir, 'items-2.dat'),
      Buffer.concat([encodeText('HEADER02', 8), encodeRows(rows.slice(25)), encodeText('TRAIL', 5)]),
    );
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= rows.length, {
      timeoutMs: 30_000,
      what: 'records of the new file',
    });
    await new Promise((r) => setTimeout(r, 300));
    const got = readTopic(worker, topic);
    expect(got).toHaveLength(rows.length);
    expect(got.map(({ key }) => key!.get('ITEM_ID'))).toEqual(rows.map((r) => r.id));
    got.forEach(({ value }, i) => {
      expect(value.get('PRICE')).toEqual(new BigDecimal(rows[i].price, 2));
      expect(value.get('QTY')).toBe(rows[i].qty);
      expect(value.get('NAME')).toBe(rows[i].name);
    });
  }, 60_000);

  it('reads a V file with little-endian RDWs (Cobrix option names) and ODO records', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mainframe-v-'));
    const file = path.join(dir, 'orders.v');
    const orders = Array.from({ length: 12 }, (_, i) => ({
      id: i,
      lines: Array.from({ length: i % 4 }, (_x, k) => BigInt((i + 1) * 100 + k)),
    }));
    const rdwLe = (rec: Buffer) =>
      Buffer.concat([Buffer.from([(rec.length + 4) & 0xff, (rec.length + 4) >> 8, 0, 0]), rec]);
    fs.writeFileSync(
      file,
      Buffer.concat(
        orders.map((o) =>
          rdwLe(
            Buffer.concat([
              encodeBinary(o.id, 4),
              encodeZoned(o.lines.length, 2, false),
              ...o.lines.map((l) => encodePacked(l, 9)),
            ]),
          ),
        ),
      ),
    );
    const worker = await startWorker(path.join(dir, 'data'));
    const topic = 'mf.orders';
    await createConnector(worker, 'mf-v', {
      'connector.class': 'MainframeFileSourceConnector',
      topic,
      'input.path': file,
      envelope: 'none',
      'copybook.contents':
        '       01 ORDER.\n          05 ORDER-ID PIC S9(9) COMP.\n          05 N PIC 99.\n          05 AMT OCCURS 0 TO 5 DEPENDING ON N PIC S9(7)V99 COMP-3.',
      record_format: 'V',
      is_rdw_big_endian: 'false',
      rdw_adjustment: '-4',
      variable_size_occurs: 'true',
      'poll.interval.ms': '100',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.decimal.format': 'NUMERIC',
    });
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= orders.length, {
      timeoutMs: 30_000,
      what: 'V records',
    });
    const got = readTopic(worker, topic);
    expect(got.map(({ value }) => value.get('ORDER_ID'))).toEqual(orders.map((o) => o.id));
    got.forEach(({ value }, i) => expect(value.get('AMT')).toEqual(orders[i].lines.map((l) => new BigDecimal(l, 2))));
  }, 60_000);

  it('rejects a broken copybook at validation, naming line and column', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mainframe-v-'));
    const worker = await startWorker(path.join(dir, 'data'));
    const res = await fetch(`${worker.url}/connector-plugins/MainframeFileSourceConnector/config/validate`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'bad-copybook',
        'connector.class': 'MainframeFileSourceConnector',
        topic: 't',
        'input.path': dir,
        'copybook.contents': '01 A.\n 05 B PIC X(3) BOGUS.',
        'copybook.format': 'free',
      }),
    });
    const body = (await res.json()) as {
      error_count: number;
      configs: Array<{ value: { name: string; errors: string[] } }>;
    };
    expect(body.error_count).toBeGreaterThan(0);
    const errors = body.configs.flatMap((c) => c.value.errors);
    expect(errors.join('\n')).toContain(
      'Invalid copybook (copybook.contents): Copybook syntax error at line 2, column 16: expected a clause',
    );
  }, 30_000);
});
