/**
 * The embedded log's append path alone, as a source task drives it: 500 records of ~4 KB (the size
 * of a PostgreSQL change as JsonConverter with schemas writes it) per append, each append carrying
 * a source-offset write, sync=os. Prints records/s and this process's CPU µs per record.
 * `npx tsx bench/log-append-bench.ts [records] [root]`: `root` is the checkout whose runtime/log is
 * measured (default: this one), to compare two commits in one session.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const records = Number(process.argv[2] ?? 100_000);
const root = process.argv[3] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { EmbeddedLog } = (await import(
  path.join(root, 'runtime/log/embedded-log.ts')
)) as typeof import('../runtime/log/embedded-log.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-append-bench-'));
const log = await EmbeddedLog.open({ dir, sync: 'os', retentionCheckIntervalMs: 0 });
try {
  const value = Buffer.from(JSON.stringify({ schema: 's'.repeat(3300), payload: 'p'.repeat(700) }));
  const key = Buffer.from('{"schema":{"type":"struct","fields":[]},"payload":{"id":12345}}');
  const headers = [{ key: '__debezium.context.connectorLogicalName', value: Buffer.from('bench') }];
  const batch = 500;
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < records; i += batch) {
    const rs = Array.from({ length: batch }, () => ({ key, value, timestamp: Date.now(), headers }));
    await log.append([{ topic: 't', partition: 0, records: rs }], [{ namespace: 'o', key: 'k', value: String(i) }]);
  }
  const cpu = process.cpuUsage(cpu0);
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(
    `${root}: ${Math.round(records / seconds)} records/s, ${((cpu.user + cpu.system) / records).toFixed(2)} CPU µs/record (${value.length}-byte values)\n`,
  );
} finally {
  await log.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
