/** `tributary binlog decode <file> [--schema <json>]`: every event of a MySQL/MariaDB binlog file as a JSON line. */
import fs from 'node:fs';
import { decodeBinlogFile, type OfflineSchema } from '../../connectors/mysql/binlog/binlog-file-reader.ts';
import type { CliIo } from '../io.ts';

export const BINLOG_USAGE =
  'tributary binlog decode <binlog file> [--schema <tables.json>]   (tables.json: {"db.table":[{"name":"id","unsigned":false}, …]} names row columns when the binlog has no column metadata)\n';

// Buffers arrive here already turned into {type:'Buffer',data:[…]} by their toJSON: print them as hex.
const json = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return x.toString();
    const b = x as { type?: unknown; data?: unknown };
    if (b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data))
      return Buffer.from(b.data as number[]).toString('hex');
    return x;
  });

export async function runBinlogCommand(args: string[], io: CliIo): Promise<number> {
  const [verb, file, ...rest] = args;
  if (verb !== 'decode' || !file) {
    io.stderr.write(`Usage: ${BINLOG_USAGE}`);
    return 2;
  }
  const i = rest.indexOf('--schema');
  const schema = i >= 0 ? (JSON.parse(fs.readFileSync(rest[i + 1], 'utf8')) as OfflineSchema) : undefined;
  const { events, skipped } = decodeBinlogFile(file, (line) => io.stdout.write(json(line) + '\n'), { schema });
  io.stderr.write(`${events} events decoded, ${skipped} skipped (unknown types)\n`);
  return 0;
}
