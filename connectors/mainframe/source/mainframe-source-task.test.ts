import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../runtime/logging.ts';
import type { SourceRecord, SourcePartition, SourceOffset } from '../../../runtime/data/records.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import type { SourceTaskContext } from '../../../runtime/spi/source.ts';
import { encodeText, vbBlock } from '../testing.ts';
import { MainframeFileSourceTask } from './mainframe-source-task.ts';
import { MainframeFileSourceConnector } from './mainframe-source-connector.ts';

function context(offsets: Map<string, SourceOffset>): SourceTaskContext {
  return {
    connectorName: 'mf', taskId: 0, logger: silentLogger, signal: new AbortController().signal, configs: () => ({}),
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
  fs.writeFileSync(file, Buffer.concat([vbBlock(['AAA', 'BBB', 'CCC'].map((s) => encodeText(s, 3))), vbBlock(['DDD'].map((s) => encodeText(s, 3)))]));
  const props = { topic: 't', 'input.path': file, 'copybook.contents': COPYBOOK, 'copybook.format': 'free', 'record.format': 'VB', 'poll.interval.ms': '10', 'batch.size': '2' };

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
    await expect(task.poll()).rejects.toThrow(`Cannot frame records of ${bad}: invalid RDW 00000000: record length 0 (at byte 0)`);
    task.stop();
  });

  it('rejects bad configs with the key, value and fix', () => {
    const c = new MainframeFileSourceConnector();
    expect(() => c.start({ ...props, 'segment.redefines': 'C=CUSTOMER' })).toThrow('segment.redefines needs segment.field: the field whose value selects the segment');
    expect(() => c.start({ ...props, 'ebcdic.code.page': 'cp9999' })).toThrow(/Invalid value cp9999 for configuration ebcdic.code.page: unknown EBCDIC code page; use one of cp037/);
    expect(() => c.start({ ...props, 'record_format': 'V', 'record.format': 'F' })).toThrow('Both record_format and record.format are set; remove record_format');
    expect(() => c.start({ ...props, 'copybook.contents': undefined as unknown as string })).toThrow(/Missing required configuration "copybook"/);
    expect(() => c.start({ ...props, 'record.length.field': 'NOPE' })).toThrow('Invalid value NOPE for configuration record.length.field: expected the name of a numeric elementary field of the copybook');
    expect(c.taskConfigs(2).map((t) => [t['task.index'], t['task.count']])).toEqual([['0', '2'], ['1', '2']]);
  });
});
