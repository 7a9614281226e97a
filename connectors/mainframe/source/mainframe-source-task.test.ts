import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../runtime/logging.ts';
import { type SourceRecord, type SourcePartition, type SourceOffset, Struct } from '../../../sdk/data.ts';
import type { SourceTaskContext } from '../../../sdk/spi.ts';
import { encodeText, vbBlock, withRdw } from '../testing.ts';
import { MainframeFileSourceTask } from './mainframe-source-task.ts';
import { MainframeFileSourceConnector } from './mainframe-source-connector.ts';

function context(offsets: Map<string, SourceOffset>): SourceTaskContext {
  return {
    connectorName: 'mf',
    taskId: 0,
    logger: silentLogger,
    signal: new AbortController().signal,
    configs: () => ({}),
    offsetStorageReader: {
      offset: (p: SourcePartition) => offsets.get(String(p.file)) ?? null,
      offsets: (ps: SourcePartition[]) => new Map(ps.map((p) => [p, offsets.get(String(p.file)) ?? null])),
    },
  };
}

async function drain(task: MainframeFileSourceTask): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (;;) {
    const batch = await task.poll();
    if (!batch || batch.length === 0) return out;
    out.push(...batch);
  }
}

const COPYBOOK = '01 R.\n 05 CODE PIC X(3).';
const names = (rs: SourceRecord[]) => rs.map((r) => ((r.value as Struct).get('after') as Struct).get('CODE'));

describe('MainframeFileSourceTask', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mf-task-'));
  const file = path.join(dir, 'a.vb');
  fs.writeFileSync(
    file,
    Buffer.concat([
      vbBlock(['AAA', 'BBB', 'CCC'].map((s) => encodeText(s, 3))),
      vbBlock(['DDD'].map((s) => encodeText(s, 3))),
    ]),
  );
  const props = {
    topic: 't',
    'input.path': file,
    'copybook.contents': COPYBOOK,
    'copybook.format': 'free',
    'record.format': 'VB',
    'poll.interval.ms': '10',
    'batch.size': '2',
  };

  it('stores file, byte position and block end in each offset, and resumes inside a block', async () => {
    const task = new MainframeFileSourceTask();
    task.initialize(context(new Map()));
    task.start({ ...props, tail: 'false' });
    const all = await drain(task);
    task.stop();
    expect(names(all)).toEqual(['AAA', 'BBB', 'CCC', 'DDD']);
    expect(all.map((r) => r.sourcePartition)).toEqual(Array(4).fill({ file }));
    expect(all.map((r) => r.sourceOffset)).toEqual([
      { position: 11, block_end: 25, snapshot_end: 36 },
      { position: 18, block_end: 25, snapshot_end: 36 },
      { position: 25, block_end: 25, snapshot_end: 36 },
      { position: 36, block_end: 36, snapshot_end: 36 },
    ]);
    expect(all.map((r) => ((r.value as Struct).get('source') as Struct).get('pos'))).toEqual([4, 11, 18, 29]);

    const resumed = new MainframeFileSourceTask();
    resumed.initialize(context(new Map([[file, all[0].sourceOffset]])));
    resumed.start({ ...props, tail: 'false' });
    expect(names(await drain(resumed))).toEqual(['BBB', 'CCC', 'DDD']);
    resumed.stop();
  });

  it('with tail=false reads only what was there at the first scan', async () => {
    const f2 = path.join(dir, 'b.vb');
    fs.writeFileSync(f2, vbBlock([encodeText('ONE', 3)]));
    const task = new MainframeFileSourceTask();
    task.initialize(context(new Map()));
    task.start({ ...props, 'input.path': f2, tail: 'false' });
    expect(names(await drain(task))).toEqual(['ONE']);
    fs.appendFileSync(f2, vbBlock([encodeText('TWO', 3)]));
    expect(await drain(task)).toEqual([]);
    task.stop();
    const tailing = new MainframeFileSourceTask();
    tailing.initialize(context(new Map()));
    tailing.start({ ...props, 'input.path': f2 });
    const rs = await drain(tailing);
    expect(rs.map((r) => (r.value as Struct).get('op'))).toEqual(['r', 'r']);
    fs.appendFileSync(f2, vbBlock([encodeText('TRI', 3)]));
    const more = await drain(tailing);
    expect(names(more)).toEqual(['TRI']);
    expect(more.map((r) => (r.value as Struct).get('op'))).toEqual(['c']);
    tailing.stop();
  });

  it('reads a replaced (shorter) file again from the start', async () => {
    const f3 = path.join(dir, 'c.vb');
    fs.writeFileSync(f3, vbBlock(['AAA', 'BBB', 'CCC'].map((s) => encodeText(s, 3))));
    const task = new MainframeFileSourceTask();
    task.initialize(context(new Map()));
    task.start({ ...props, 'input.path': f3 });
    expect(names(await drain(task))).toEqual(['AAA', 'BBB', 'CCC']);
    fs.writeFileSync(f3, vbBlock(['NEW'].map((s) => encodeText(s, 3))));
    const again = await drain(task);
    expect(names(again)).toEqual(['NEW']);
    expect(again.map((r) => (r.value as Struct).get('op'))).toEqual(['c']);
    // replaced by rename with a longer file: a new inode, read from the start too
    const tmp = path.join(dir, 'c.tmp');
    fs.writeFileSync(tmp, vbBlock(['R1 ', 'R2 ', 'R3 ', 'R4 '].map((s) => encodeText(s, 3))));
    fs.renameSync(tmp, f3);
    expect(names(await drain(task))).toEqual(['R1', 'R2', 'R3', 'R4']);
    task.stop();
  });

  it('fails on a corrupt RDW naming file and position', async () => {
    const bad = path.join(dir, 'bad.v');
    fs.writeFileSync(bad, Buffer.from('0000000000', 'hex'));
    const task = new MainframeFileSourceTask();
    task.initialize(context(new Map()));
    task.start({ ...props, 'input.path': bad, 'record.format': 'V' });
    await expect(task.poll()).rejects.toThrow(
      `Cannot frame records of ${bad}: invalid RDW 00000000: record length 0 (at byte 0)`,
    );
    task.stop();
  });

  it('rejects bad configs with the key, value and fix', () => {
    const c = new MainframeFileSourceConnector();
    expect(() => c.start({ ...props, 'segment.redefines': 'C=CUSTOMER' })).toThrow(
      'segment.redefines needs segment.field: the field whose value selects the segment',
    );
    expect(() => c.start({ ...props, 'ebcdic.code.page': 'cp9999' })).toThrow(
      /Invalid value cp9999 for configuration ebcdic.code.page: unknown EBCDIC code page; use one of cp037/,
    );
    expect(() => c.start({ ...props, record_format: 'V', 'record.format': 'F' })).toThrow(
      'Both record_format and record.format are set; remove record_format',
    );
    expect(() => c.start({ ...props, 'copybook.contents': undefined as unknown as string })).toThrow(
      /Missing required configuration "copybook"/,
    );
    expect(() => c.start({ ...props, 'record.length.field': 'NOPE' })).toThrow(
      'Invalid value NOPE for configuration record.length.field: expected the name of a numeric elementary field of the copybook',
    );
    expect(c.taskConfigs(2).map((t) => [t['task.index'], t['task.count']])).toEqual([
      ['0', '2'],
      ['1', '2'],
    ]);
  });
});

/** Each record's `after` fields, generated columns first. */
function rows(rs: SourceRecord[], fields: string[]): unknown[][] {
  return rs.map((r) => fields.map((f) => ((r.value as Struct).get('after') as Struct).get(f)));
}

async function readAll(
  props: Record<string, string>,
  offsets = new Map<string, SourceOffset>(),
): Promise<SourceRecord[]> {
  const task = new MainframeFileSourceTask();
  task.initialize(context(offsets));
  task.start({ tail: 'false', ...props });
  try {
    return await drain(task);
  } finally {
    task.stop();
  }
}

describe('MainframeFileSourceTask: Cobrix generated columns', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mf-gen-'));

  it("File_Id by the file's place among the input files, Record_Id and Record_Byte_Length, continued exactly from any committed offset", async () => {
    const inDir = path.join(dir, 'fixed');
    fs.mkdirSync(inDir);
    fs.writeFileSync(path.join(inDir, 'b.dat'), Buffer.concat(['B1', 'B2', 'B3'].map((s) => encodeText(s, 3))));
    fs.writeFileSync(path.join(inDir, 'a.dat'), Buffer.concat(['A1', 'A2'].map((s) => encodeText(s, 3))));
    const props = {
      topic: 't',
      'input.path': inDir,
      'copybook.contents': COPYBOOK,
      'copybook.format': 'free',
      'poll.interval.ms': '10',
      'batch.size': '2',
      generate_record_id: 'true',
    };
    const all = await readAll(props);
    const fields = ['File_Id', 'Record_Id', 'Record_Byte_Length', 'CODE'];
    expect(rows(all, fields)).toEqual([
      [0, 0, 3, 'A1'],
      [0, 1, 3, 'A2'],
      [1, 0, 3, 'B1'],
      [1, 1, 3, 'B2'],
      [1, 2, 3, 'B3'],
    ]);
    const after = (all[0].value as Struct).schema.field('after')!.schema;
    expect(after.fields.slice(0, 3).map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['File_Id', 'int32', false],
      ['Record_Id', 'int64', false],
      ['Record_Byte_Length', 'int32', false],
    ]);
    expect(all[1].sourceOffset).toMatchObject({ position: 6, file_id: 0, record_index: 2 });
    // a crash after record k was committed: the restarted task continues with record k+1, numbered as before
    for (let k = 0; k < all.length; k++) {
      const committed = new Map<string, SourceOffset>();
      for (const r of all.slice(0, k + 1)) committed.set(String(r.sourcePartition.file), r.sourceOffset);
      expect(rows(await readAll(props, committed), fields)).toEqual(rows(all.slice(k + 1), fields));
    }
  });

  it('a file found while tailing gets an id above every id in use; ids stored in offsets are kept although the listing changed', async () => {
    const inDir = path.join(dir, 'tail');
    fs.mkdirSync(inDir);
    fs.writeFileSync(path.join(inDir, 'm.dat'), encodeText('M1', 3));
    const props = {
      topic: 't',
      'input.path': inDir,
      'copybook.contents': COPYBOOK,
      'copybook.format': 'free',
      'poll.interval.ms': '10',
      generate_record_id: 'true',
    };
    const task = new MainframeFileSourceTask();
    const offsets = new Map<string, SourceOffset>();
    task.initialize(context(offsets));
    task.start(props);
    const first = await drain(task);
    expect(rows(first, ['File_Id', 'Record_Id', 'CODE'])).toEqual([[0, 0, 'M1']]);
    for (const r of first) offsets.set(String(r.sourcePartition.file), r.sourceOffset);
    fs.writeFileSync(path.join(inDir, 'a.dat'), encodeText('A1', 3));
    await new Promise((r) => setTimeout(r, 30));
    const found = await drain(task);
    task.stop();
    // 'a.dat' sorts first, but 0 is m.dat's: a file found later gets an id above the listing's positions and every id in use
    expect(rows(found, ['File_Id', 'Record_Id', 'CODE'])).toEqual([[2, 0, 'A1']]);
    for (const r of found) offsets.set(String(r.sourcePartition.file), r.sourceOffset);
    fs.appendFileSync(path.join(inDir, 'm.dat'), encodeText('M2', 3));
    fs.writeFileSync(path.join(inDir, 'z.dat'), encodeText('Z1', 3));
    const resumed = await readAll({ ...props, tail: 'true' }, offsets);
    expect(rows(resumed, ['File_Id', 'Record_Id', 'CODE'])).toEqual([
      [0, 1, 'M2'],
      [3, 0, 'Z1'],
    ]);
  });

  const SEGMENTED = '01 R.\n 05 SEG PIC X.\n 05 CODE PIC X(3).';
  const seg = (items: string[]) => Buffer.concat(items.map((s) => withRdw(encodeText(s, 4))));

  it('segment_id_level*/segment_id_prefix/segment_filter as Cobrix: records before the first known segment dropped, the segment-id state continued from any committed offset', async () => {
    const file = path.join(dir, 'seg.v');
    fs.writeFileSync(file, seg(['XX0', 'PORP', 'CC1', 'PP1', 'PP2', 'XX1', 'CC2', 'PP3', 'CC3', 'CC4', 'PP4', 'PP5']));
    const props = {
      topic: 't',
      'input.path': file,
      'copybook.contents': SEGMENTED,
      'copybook.format': 'free',
      record_format: 'V',
      'poll.interval.ms': '10',
      'batch.size': '3',
      segment_field: 'SEG',
      segment_id_level0: 'C',
      segment_id_level1: 'P',
      segment_id_prefix: 'A',
      generate_record_id: 'true',
    };
    const fields = ['Record_Id', 'Seg_Id0', 'Seg_Id1', 'CODE'];
    const all = await readAll(props);
    // Cobrix: a child before any root has the empty root id
    expect(rows(all, fields)).toEqual([
      [1, '', '_L1_1', 'ORP'],
      [2, 'A_0_2', null, 'C1'],
      [3, 'A_0_2', 'A_0_2_L1_1', 'P1'],
      [4, 'A_0_2', 'A_0_2_L1_2', 'P2'],
      [5, 'A_0_2', 'A_0_2_L1_2', 'X1'],
      [6, 'A_0_6', null, 'C2'],
      [7, 'A_0_6', 'A_0_6_L1_1', 'P3'],
      [8, 'A_0_8', null, 'C3'],
      [9, 'A_0_9', null, 'C4'],
      [10, 'A_0_9', 'A_0_9_L1_1', 'P4'],
      [11, 'A_0_9', 'A_0_9_L1_2', 'P5'],
    ]);
    const filtered = { ...props, segment_filter: 'P' };
    const kept = await readAll(filtered);
    expect(rows(kept, fields)).toEqual(rows(all, fields).filter((r) => r[3] === 'ORP' || String(r[3]).startsWith('P')));
    for (const [p, records] of [
      [props, all],
      [filtered, kept],
    ] as const) {
      for (let k = 0; k < records.length; k++) {
        expect(rows(await readAll(p, new Map([[file, records[k].sourceOffset]])), fields)).toEqual(
          rows(records.slice(k + 1), fields),
        );
      }
    }
  });

  it("without segment_id_prefix: Cobrix's timestamp prefix, kept in the offset so a restart continues with the same one", async () => {
    const file = path.join(dir, 'seg2.v');
    fs.writeFileSync(file, seg(['CC1', 'PP1', 'PP2']));
    const props = {
      topic: 't',
      'input.path': file,
      'copybook.contents': SEGMENTED,
      'copybook.format': 'free',
      record_format: 'V',
      'poll.interval.ms': '10',
      segment_field: 'SEG',
      segment_id_level0: 'C',
      segment_id_level1: 'P',
    };
    const all = await readAll(props);
    expect(rows(all, ['Seg_Id0'])[0][0]).toMatch(/^\d{14}_0_0$/);
    const stored = {
      ...all[0].sourceOffset,
      seg_id_prefix: '19990101000000',
      seg_id_state: { root: '19990101000000_0_0', level: 0, counts: [0, 0, 0] },
    };
    expect(rows(await readAll(props, new Map([[file, stored]])), ['Seg_Id0', 'Seg_Id1'])).toEqual([
      ['19990101000000_0_0', '19990101000000_0_0_L1_1'],
      ['19990101000000_0_0', '19990101000000_0_0_L1_2'],
    ]);
  });

  it('rejects segment.id.levels with segment.children and bad stored numbering', async () => {
    const c = new MainframeFileSourceConnector();
    expect(() =>
      c.start({
        topic: 't',
        'input.path': dir,
        'copybook.contents': '01 R.\n 05 SEG PIC X.\n 05 A.\n  10 X PIC X.\n 05 B REDEFINES A.\n  10 Y PIC X.',
        'copybook.format': 'free',
        segment_field: 'SEG',
        'segment.redefines': 'A=A,B=B',
        'segment.children': 'A=>B',
        segment_id_level0: 'A',
      }),
    ).toThrow(
      "Invalid value A for configuration segment.id.levels: both segment.id.levels (Cobrix's segment_id_level*) and segment.children make Seg_Id0..N columns; remove one of them",
    );
    const file = path.join(dir, 'bad.dat');
    fs.writeFileSync(file, encodeText('X1', 3));
    const props = {
      topic: 't',
      'input.path': file,
      'copybook.contents': COPYBOOK,
      'copybook.format': 'free',
      'poll.interval.ms': '10',
      generate_record_id: 'true',
    };
    await expect(readAll(props, new Map([[file, { position: 0, file_id: 0, record_index: -1 }]]))).rejects.toThrow(
      `Offset of ${file} has no valid record_index`,
    );
    // an offset stored before the generated columns were configured: the numbering cannot be known
    await expect(readAll(props, new Map([[file, { position: 3 }]]))).rejects.toThrow(
      `Offset of ${file} was stored without generated columns (no record_index) at byte 3: the Record_Id and segment ids of the records after it are unknown`,
    );
  });
});
