/**
 * Cobrix's generated columns (generate_record_id, segment_id_level*, segment_id_prefix,
 * segment_filter) written by MainframeFileSourceConnector on the embedded log, against Cobrix's
 * own reader on the same file and options: every parity case that uses them gives Cobrix's
 * File_Id, Record_Id, Record_Byte_Length and Seg_Id values (and, for the cases the parity suite
 * passes, every other value too). Then a file read in two parts with a worker restart between
 * them, and a crash simulated by moving the committed offset back: the numbering continues
 * exactly as Cobrix numbers the whole file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { JsonConverter } from '../../../runtime/converters/json-converter.ts';
import { BigDecimal } from '../../../runtime/data/logical.ts';
import type { Schema } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { buildReader, parseDecodingConfig } from '../../../connectors/mainframe/config.ts';
import { frameAll } from '../../../connectors/mainframe/framing/framer.ts';
import { cobrixClasspath } from '../../setup/cobrix.ts';
import { waitFor } from '../../helpers/wait.ts';
import { COBRIX_CASES, type CobrixCase } from './cobrix/cases.ts';
import { firstDifference, materialize, runCobrix, tributaryProps } from './cobrix/compare.ts';

const GENERATING = COBRIX_CASES.filter(
  (c) => 'generate_record_id' in c.options || 'segment_id_level0' in c.options || 'segment_filter' in c.options,
);
const generatedCount = (c: CobrixCase) =>
  (c.options.generate_record_id === 'true' ? 3 : 0) +
  Object.keys(c.options).filter((k) => /^segment_id_level\d+$/.test(k)).length;

/** Several files in one directory: Cobrix numbers them by their place in the listing (harness_file_id: the number the harness gives Cobrix's reader). */
const SEVERAL_FILES = ['test4', 'test19'].flatMap((id) =>
  [0, 1, 2].map((n) => {
    const c = COBRIX_CASES.find((x) => x.id === id)!;
    return { ...c, id: `${id}_file${n}`, options: { ...c.options, harness_file_id: String(n) } };
  }),
);

let workDir: string;
let cobrix: Map<string, { rows: unknown[]; error?: string }>;
const workers: RunningWorker[] = [];
const converter = new JsonConverter();
converter.configure({ 'schemas.enable': 'true', 'decimal.format': 'NUMERIC' }, false);

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mf-gen-'));
  cobrix = runCobrix(cobrixClasspath(), [...GENERATING, ...SEVERAL_FILES], workDir);
}, 300_000);

afterAll(async () => {
  for (const w of workers) await w.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
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

async function stopWorker(w: RunningWorker): Promise<void> {
  await w.stop();
  workers.splice(workers.indexOf(w), 1);
}

async function rest(w: RunningWorker, method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${w.url}${url}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.ok, `${method} ${url}: ${text}`).toBe(true);
  return text ? JSON.parse(text) : null;
}

/** The connector's config for a parity case: the same Cobrix options the parity suite gives Tributary. */
function connectorConfig(c: CobrixCase, input: string, topic: string): Record<string, string> {
  return {
    ...tributaryProps(c),
    'connector.class': 'MainframeFileSourceConnector',
    topic,
    'input.path': input,
    envelope: 'none',
    'poll.interval.ms': '50',
    'batch.size': '7',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.decimal.format': 'NUMERIC',
  };
}

/** A struct read back from the log as the parity suite's row: groups as arrays, numbers tagged. */
function row(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (schema.type === 'struct') return schema.fields.map((f) => row(f.schema, (value as Struct).get(f.name)));
  if (schema.type === 'array') return (value as unknown[]).map((v) => row(schema.valueSchema!, v));
  if (value instanceof BigDecimal) return { decimal: value.toString() };
  if (typeof value === 'bigint') return { long: value.toString() };
  if (typeof value === 'number') return { number: value };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('hex').toUpperCase();
  return value;
}

function readRows(w: RunningWorker, topic: string): unknown[][] {
  return w.embedded.log.read({ topic, partition: 0 }, 0, { maxRecords: 1_000_000 }).map((r) => {
    const { schema, value } = converter.toConnectData(topic, r.value!) as { schema: Schema; value: Struct };
    return row(schema, value) as unknown[];
  });
}

function firstRowDifference(theirs: unknown[], ours: unknown[][], width?: number): string | null {
  if (theirs.length !== ours.length) return `Cobrix read ${theirs.length} records, the connector wrote ${ours.length}`;
  for (let i = 0; i < ours.length; i++) {
    const t = width === undefined ? theirs[i] : (theirs[i] as unknown[]).slice(0, width);
    const d = firstDifference(t, width === undefined ? ours[i] : ours[i].slice(0, width), `record ${i}`);
    if (d) return d;
  }
  return null;
}

describe('Mainframe source connector: Cobrix generated columns on the embedded log, against Cobrix', () => {
  it('every Cobrix case with generated columns or a segment filter: the same generated values (and all values where the parity suite passes)', async () => {
    expect(GENERATING.map((c) => c.id)).toEqual(
      expect.arrayContaining(['test3', 'test4', 'test5', 'test5c', 'test14', 'test17a', 'test19']),
    );
    const worker = await startWorker(path.join(workDir, 'data-all'));
    for (const c of GENERATING) {
      const theirs = cobrix.get(c.id)!;
      expect(theirs.error, c.id).toBeUndefined();
      const input = path.join(workDir, `in-${c.id}`);
      fs.mkdirSync(input);
      fs.copyFileSync(materialize(c.data, workDir), path.join(input, c.data));
      const topic = `gen.${c.id}`;
      await rest(worker, 'POST', '/connectors', { name: `gen-${c.id}`, config: connectorConfig(c, input, topic) });
      await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= theirs.rows.length, {
        timeoutMs: 60_000,
        what: `${c.id}: ${theirs.rows.length} records`,
      });
      const ours = readRows(worker, topic);
      expect(firstRowDifference(theirs.rows, ours, generatedCount(c)), `${c.id}: generated columns`).toBeNull();
      if (c.expect === 'pass') expect(firstRowDifference(theirs.rows, ours), `${c.id}: all values`).toBeNull();
      await rest(worker, 'DELETE', `/connectors/gen-${c.id}`);
    }
  }, 240_000);

  it("several files read by two tasks: File_Id and the segment ids by the file's place among the input files, as Cobrix numbers them", async () => {
    const worker = await startWorker(path.join(workDir, 'data-several'));
    for (const id of ['test4', 'test19']) {
      const c = COBRIX_CASES.find((x) => x.id === id)!;
      const input = path.join(workDir, `in-several-${id}`);
      fs.mkdirSync(input);
      // listed as a, b, c whatever order they were written in
      for (const name of ['c.dat', 'a.dat', 'b.dat'])
        fs.copyFileSync(materialize(c.data, workDir), path.join(input, name));
      const expected = [0, 1, 2].map((n) => cobrix.get(`${id}_file${n}`)!.rows);
      expected.forEach((rows, n) =>
        expect(((rows[0] as unknown[])[0] as { int: string }).int, `Cobrix's File_Id of file ${n}`).toBe(String(n)),
      );
      const topic = `several.${id}`;
      await rest(worker, 'POST', '/connectors', {
        name: `several-${id}`,
        config: { ...connectorConfig(c, input, topic), 'tasks.max': '2' },
      });
      const total = expected.reduce((n, rows) => n + rows.length, 0);
      await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= total, {
        timeoutMs: 60_000,
        what: `${id}: ${total} records`,
      });
      await new Promise((r) => setTimeout(r, 200));
      const ours = readRows(worker, topic);
      expect(ours.length).toBe(total);
      for (let n = 0; n < 3; n++) {
        const ofFile = ours.filter((r) => (r[0] as { number: number }).number === n);
        expect(firstRowDifference(expected[n], ofFile), `${id}, File_Id ${n}`).toBeNull();
      }
    }
  }, 120_000);

  it('a worker restart in the middle of a file and a crash after some records were committed continue the numbering as Cobrix numbers the whole file', async () => {
    const c = COBRIX_CASES.find((x) => x.id === 'test4')!;
    const theirs = cobrix.get(c.id)!.rows as unknown[][];
    const data = fs.readFileSync(materialize(c.data, workDir));
    const records = [
      ...frameAll(buildReader(parseDecodingConfig(tributaryProps(c)), { generatedColumns: true }).framer, data),
    ];
    expect(records.length).toBe(theirs.length);
    const input = path.join(workDir, 'in-restart');
    fs.mkdirSync(input);
    const file = path.join(input, 'data.dat');
    const cut = Math.floor(records.length / 2) + 1;
    fs.writeFileSync(file, data.subarray(0, records[cut].offset));
    const topic = 'gen.restart';
    const dataDir = path.join(workDir, 'data-restart');
    let worker = await startWorker(dataDir);
    await rest(worker, 'POST', '/connectors', { name: 'gen-restart', config: connectorConfig(c, input, topic) });
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= cut, {
      timeoutMs: 60_000,
      what: `${cut} records`,
    });
    await new Promise((r) => setTimeout(r, 200));
    await stopWorker(worker);
    fs.appendFileSync(file, data.subarray(records[cut].offset));
    worker = await startWorker(dataDir);
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= records.length, {
      timeoutMs: 60_000,
      what: 'the rest of the file',
    });
    await new Promise((r) => setTimeout(r, 300));
    const ours = readRows(worker, topic);
    expect(firstRowDifference(theirs, ours, generatedCount(c))).toBeNull();
    expect(firstRowDifference(theirs, ours)).toBeNull();

    // a crash after `committed` records: their offset is the last one stored, the records after it are sent again
    const committed = 5;
    await rest(worker, 'PUT', '/connectors/gen-restart/stop');
    await waitFor(
      async () =>
        ((await rest(worker, 'GET', '/connectors/gen-restart/status')) as { connector: { state: string } }).connector
          .state === 'STOPPED',
      { timeoutMs: 30_000, what: 'connector stopped' },
    );
    const reader = buildReader(parseDecodingConfig(tributaryProps(c)), { generatedColumns: true });
    const columns = reader.generatedColumns({ fileId: 0, segmentIdPrefix: c.options.segment_id_prefix });
    for (let i = 0; i < committed; i++)
      columns.next(
        i,
        records[i].end - records[i].start,
        reader.decode(data, records[i].start, records[i].end).segmentId,
      );
    const offset = {
      position: records[committed].offset,
      file_id: 0,
      record_index: committed,
      seg_id_prefix: c.options.segment_id_prefix,
      seg_id_state: columns.state(),
    };
    await rest(worker, 'PATCH', '/connectors/gen-restart/offsets', { offsets: [{ partition: { file }, offset }] });
    await rest(worker, 'PUT', '/connectors/gen-restart/resume');
    const total = records.length + records.length - committed;
    await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= total, {
      timeoutMs: 60_000,
      what: 'the records after the crash point again',
    });
    const again = readRows(worker, topic).slice(records.length);
    expect(firstRowDifference(theirs.slice(committed), again)).toBeNull();
  }, 180_000);
});
